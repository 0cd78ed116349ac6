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

    /// <summary>Extracts <paramref name="job"/>'s results; answers the step's output and the writes that go with its completion.</summary>
    public async Task<(JsonObject? Output, IReadOnlyList<SqlStatement> Writes)> RunAsync(JobRecord job, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(job);
        var directory = job.ResultRoot is { } resultRoot ? files.FolderOf(resultRoot) : null;
        if (directory is null || !Directory.Exists(directory) || !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            return Settled(job.Id, nowMillis, null, [], DataReadiness.Incomplete, []);
        }

        var extracted = await extractor.ExtractAsync(directory, JsonNode.Parse(job.Document) as JsonObject, CancellationToken.None);
        return Settled(job.Id, nowMillis, extracted.Stats, extracted.Errids, DataReadiness.Complete, new JsonObject
        {
            ["stats"] = extracted.Stats.Count,
            ["monitors"] = extracted.MonitorFiles,
            ["problems"] = new JsonArray([.. extracted.Problems.Select(p => (JsonNode)p.ToString())]),
        });
    }

    /// <summary>The step's output (<paramref name="output"/> with the readiness and errids) and its writes: the results on the job, and an <c>extracted</c> event.</summary>
    private static (JsonObject Output, IReadOnlyList<SqlStatement> Writes) Settled(
        long jobId, long nowMillis, JsonObject? stats, IReadOnlyList<string> errids, string readiness, JsonObject output)
    {
        var errid = new JsonArray([.. errids.Select(e => (JsonNode)e)]);
        output["data_readiness"] = readiness;
        output["errid"] = errid;
        var detail = new JsonObject { ["data_readiness"] = readiness, ["stats"] = stats?.Count, ["errid"] = errid.DeepClone() };
        return (output, [.. JobResultsStore.SetExtraction(jobId, stats, errids, readiness), JobResultsStore.EventStatement(jobId, new JobHistoryEntry(nowMillis, "extracted", detail))]);
    }
}
