using System.Text.Json.Nodes;

namespace CompassCi.Grains.Clusters;

/// <summary>The outcome of <see cref="ClusterJobSplitter.Split"/>: one job document per node, or the reasons there are none.</summary>
/// <param name="Jobs">
/// The node jobs in spec order, without ids: the caller assigns them, and the first id is the cluster id. Empty
/// exactly when <paramref name="Errors"/> is not.
/// </param>
/// <param name="Errors">Messages by field: a job field (<c>node_roles</c>, <c>if role server</c>) or a spec field (<c>nodes.h1.macs</c>).</param>
public sealed record ClusterJobSplitResult(IReadOnlyList<JsonObject> Jobs, IReadOnlyDictionary<string, string[]> Errors);
