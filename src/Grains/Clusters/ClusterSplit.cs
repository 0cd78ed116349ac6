using System.Text.Json.Nodes;

namespace CompassCi.Grains.Clusters;

/// <summary>
/// A cluster job made ready to store: one job per node, or, for <c>cs-localhost</c>, one ordinary job that plays
/// every role; or the reasons it cannot be made.
/// </summary>
public sealed record ClusterSplit(IReadOnlyList<JsonObject> NodeJobs, JsonObject? LocalJob, IReadOnlyDictionary<string, string[]> Errors);
