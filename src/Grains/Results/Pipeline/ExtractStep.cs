using System.Text.Json.Nodes;
using CompassCi.Grains.Results.Extraction;
using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Results.Pipeline;

/// <summary>
/// The first step of every results pipeline: lkp's stats extraction over what the testbox uploaded to the job's
/// result_root (stats.json and matrix.json written beside it), its stats and errids recorded on the job in the commit
/// that marks the step done, and the job's data readiness settled: <c>complete</c>, or <c>incomplete</c> when nothing
/// was uploaded.
/// </summary>
public sealed class ExtractStep(ResultExtractor extractor, ResultFiles files)
{
    /// <summary>The step's name in every pipeline.</summary>
    public const string Name = "extract";

    /// <summary>Readiness of a job whose results were extracted.</summary>
    public const string Complete = "complete";

    /// <summary>Readiness of a job that ended with nothing uploaded.</summary>
    public const string Incomplete = "incomplete";

    /// <summary>Where the uploads of a job with <paramref name="resultRoot"/> (<c>/result/…</c>, computed at submit) are; null for a job without one.</summary>
    private string? DirectoryOf(string? resultRoot) =>
        resultRoot is not null && resultRoot.StartsWith(ResultRoot.Prefix + "/", StringComparison.Ordinal)
            ? files.FullPath(resultRoot[ResultRoot.Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            : null;

    /// <summary>Extracts <paramref name="job"/>'s results; answers the step's output and the writes that go with its completion.</summary>
    public async Task<(JsonObject? Output, IReadOnlyList<SqlStatement> Writes)> RunAsync(JobRecord job, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(job);
        var document = JsonNode.Parse(job.Document) as JsonObject;
        var directory = DirectoryOf(document?[ResultRoot.Field]?.GetValue<string>());
        if (directory is null || !Directory.Exists(directory) || !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            return (new JsonObject { ["data_readiness"] = Incomplete, ["errid"] = new JsonArray() },
                [.. JobResultsStore.SetExtraction(job.Id, null, [], Incomplete), JobResultsStore.EventStatement(job.Id, new JobEvent(nowMillis, "extracted", new JsonObject { ["data_readiness"] = Incomplete }))]);
        }

        var extracted = await extractor.ExtractAsync(directory, document, CancellationToken.None);
        var errids = new JsonArray([.. extracted.Errids.Select(e => (JsonNode)e)]);
        var output = new JsonObject
        {
            ["data_readiness"] = Complete,
            ["stats"] = extracted.Stats.Count,
            ["monitors"] = extracted.MonitorFiles,
            ["errid"] = errids,
            ["problems"] = new JsonArray([.. extracted.Problems.Select(p => (JsonNode)p.ToString())]),
        };
        var detail = new JsonObject { ["data_readiness"] = Complete, ["stats"] = extracted.Stats.Count, ["errid"] = errids.DeepClone() };
        return (output,
            [.. JobResultsStore.SetExtraction(job.Id, extracted.Stats, extracted.Errids, Complete), JobResultsStore.EventStatement(job.Id, new JobEvent(nowMillis, "extracted", detail))]);
    }
}
