using System.Text.Json.Nodes;

namespace CompassCi.Grains.JobFiles;

/// <summary>The outcome of <see cref="JobFileExpander.Expand"/>: the expanded jobs, or the reasons there are none.</summary>
/// <param name="Jobs">Each job as it is to be submitted, with its <c>pp</c>; empty exactly when <paramref name="Errors"/> is not.</param>
/// <param name="Errors">Messages by field: <c>body</c>, <c>set</c>, or the job key at fault (an ERB snippet's key).</param>
public sealed record JobFileExpansion(IReadOnlyList<JsonObject> Jobs, IReadOnlyDictionary<string, string[]> Errors)
{
    internal static JobFileExpansion Failure(string field, string message) =>
        new([], new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });
}
