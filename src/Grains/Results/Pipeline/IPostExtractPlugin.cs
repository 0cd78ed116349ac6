using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results.Pipeline;

/// <summary>
/// One step after extraction in a job's results pipeline (regression, notification, …). Registered in DI; which run,
/// and in which order, is <see cref="PipelineOptions.Plugins"/>. A step runs at least once: after a crash, or when it
/// threw, it runs again with the next attempt number, so it must be idempotent — its side effects keyed by the job
/// (and, where it has several, by what it already recorded) so a repeat does not repeat them.
/// </summary>
public interface IPostExtractPlugin
{
    /// <summary>The step's name in configuration, in the job's pipeline and in the API: lower case, stable.</summary>
    string Name { get; }

    /// <summary>
    /// Does the step's work for the ended job in <paramref name="context"/>. Its answer is recorded as the step's output
    /// (later steps see it); throwing records a failed attempt, retried with backoff up to the pipeline's limit.
    /// </summary>
    Task<JsonObject?> RunAsync(PluginContext context, CancellationToken cancellationToken);
}
