using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results.Pipeline;

/// <summary>What a post-extract step gets: the ended job, what extraction found, and what the steps before it answered.</summary>
/// <param name="Job">The job as it ended.</param>
/// <param name="Errids">The stat keys that matched the failure patterns, sorted.</param>
/// <param name="Outputs">The outputs of the steps already done, by step name (<c>extract</c> first).</param>
/// <param name="Attempt">1 for the step's first attempt; higher when it runs again.</param>
public sealed record PluginContext(JobRecord Job, IReadOnlyList<string> Errids, IReadOnlyDictionary<string, JsonObject> Outputs, int Attempt)
{
    /// <summary>The job's result_root (the path its results were uploaded under), if it has one.</summary>
    public string? ResultRoot => Job.ResultRoot;
}
