using System.Text.Json.Nodes;
using CompassCi.Grains.Results;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The results columns of <c>jobs</c>, outside the job grain's versioned row: its data readiness (set by uploads), its
/// stats and errids (with the <c>job_errids</c> index), the errids new against earlier runs, and events about its
/// results. None of it is in the job grain's record, so these writes neither need nor move the job's version.
/// </summary>
public sealed class JobResultsStore(MySqlConnector.MySqlDataSource dataSource, GroupCommitter committer)
{
    /// <summary>Errids longer than this are kept on the job but not indexed for <c>?errid=</c> (the index's key width).</summary>
    public const int IndexedErridLength = 700;

    /// <summary>
    /// Marks job <paramref name="jobId"/> <see cref="DataReadiness.Uploading"/> if nothing marked it yet: only the first
    /// accepted upload changes it, and a later one never undoes the pipeline's complete or incomplete.
    /// </summary>
    public Task MarkUploadingAsync(long jobId) => dataSource.ExecuteAsync(new SqlStatement(
        "UPDATE jobs SET job_data_readiness = @readiness WHERE id = @id AND job_data_readiness IS NULL",
        P("@readiness", DataReadiness.Uploading), Id("@id", jobId)));

    /// <summary>The job's <c>job_data_readiness</c>; null before any upload, or when there is no such job.</summary>
    public Task<string?> ReadinessAsync(long jobId) => dataSource.TextAsync(new SqlStatement(
        "SELECT job_data_readiness FROM jobs WHERE id = @id", Id("@id", jobId)));

    /// <summary>The statements that record what extraction found (null stats: nothing was uploaded), replacing an earlier extraction's.</summary>
    internal static IReadOnlyList<SqlStatement> SetExtraction(long jobId, JsonObject? stats, IReadOnlyList<string> errids, string readiness)
    {
        var indexed = errids.Where(e => e.Length <= IndexedErridLength).Distinct(StringComparer.Ordinal).ToList();
        List<SqlStatement> statements =
        [
            new("UPDATE jobs SET stats = @stats, errid = @errid, job_data_readiness = @readiness WHERE id = @id",
                Id("@id", jobId), P("@stats", stats?.ToJsonString()), P("@errid", stats is null ? null : Json(errids)), P("@readiness", readiness)),
            new("DELETE FROM job_errids WHERE job_id = @id", Id("@id", jobId)),
        ];
        if (indexed.Count > 0)
        {
            statements.Add(new SqlStatement(
                "INSERT IGNORE INTO job_errids (errid, job_id) VALUES " + string.Join(", ", indexed.Select((_, i) => $"(@e{i}, @id)")),
                [Id("@id", jobId), .. indexed.Select((e, i) => P($"@e{i}", e))]));
        }

        return statements;
    }

    /// <summary>A statement appending <paramref name="jobEvent"/> to the job's history.</summary>
    internal static SqlStatement EventStatement(long jobId, JobHistoryEntry jobEvent) =>
        new($"UPDATE jobs SET events = {JobStore.AppendEvents(1)}{JobStore.ChangedAt(1)} WHERE id = @id", [Id("@id", jobId), .. JobStore.EventParameters([jobEvent])]);

    /// <summary>Appends <paramref name="jobEvent"/> to the job's history now.</summary>
    public Task AppendEventAsync(long jobId, JobHistoryEntry jobEvent) => committer.WriteAsync(EventStatement(jobId, jobEvent));

    /// <summary>Records the errids the regression step found new (replacing an earlier attempt's).</summary>
    public Task SetNewErridsAsync(long jobId, IReadOnlyList<string> newErrids) =>
        committer.WriteAsync(new SqlStatement("UPDATE jobs SET new_errids = @new WHERE id = @id", Id("@id", jobId), P("@new", Json(newErrids))));

    /// <summary>The job's results as stored: stats, errid and new_errids (JSON text, null when not yet set), data readiness. Null for no such job.</summary>
    public Task<JobResults?> GetAsync(long jobId) =>
        dataSource.FirstOrDefaultAsync(
            new SqlStatement("SELECT stats, errid, new_errids, job_data_readiness FROM jobs WHERE id = @id", Id("@id", jobId)),
            r => new JobResults(r.GetStringOrNull(0), r.GetStringOrNull(1), r.GetStringOrNull(2), r.GetStringOrNull(3)));

    /// <summary>
    /// The errids of up to <paramref name="limit"/> earlier runs of the same test (same <c>all_params_md5</c>, lower id)
    /// whose extraction found results, newest first.
    /// </summary>
    public Task<List<(long Id, List<string> Errids)>> EarlierRunsAsync(string allParamsMd5, long beforeId, int limit) =>
        dataSource.QueryAsync(
            new SqlStatement(
                "SELECT id, errid FROM jobs WHERE all_params_md5 = @md5 AND id < @id AND job_stage = 'finish' AND errid IS NOT NULL " +
                $"ORDER BY id DESC LIMIT {SqlLists.Limit(limit, 1000)}",
                P("@md5", allParamsMd5), Id("@id", beforeId)),
            r => (r.GetId(0), (JsonNode.Parse(r.GetString(1)) as JsonArray ?? []).Select(e => e!.GetValue<string>()).ToList()));

    private static string Json(IReadOnlyList<string> values) => new JsonArray([.. values.Select(v => (JsonNode)v)]).ToJsonString();
}

/// <summary>A job's stored results (JSON texts as stored).</summary>
public sealed record JobResults(string? Stats, string? Errid, string? NewErrids, string? DataReadiness);
