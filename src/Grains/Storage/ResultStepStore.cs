using System.Text.Json.Nodes;
using CompassCi.Grains.Results.Pipeline;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>result_steps</c>: the progress of each ended job's results pipeline. A step is marked done in the
/// same commit as what it wrote (<see cref="CompleteAsync"/>), so after a crash the pipeline resumes at the first step
/// not done and never redoes one that is.
/// </summary>
public sealed class ResultStepStore(MySqlConnector.MySqlDataSource dataSource, GroupCommitter committer)
{
    private const string Columns = "job_id, position, step, state, attempts, last_error, output, updated_at";

    /// <summary>Records the job's steps, in order, unless it has them already (the plan made on the pipeline's first run stands).</summary>
    public Task PlanAsync(long jobId, IReadOnlyList<string> steps, long nowMillis)
    {
        var rows = string.Join(", ", steps.Select((_, i) => $"(@job, {i}, @step{i}, '{StepStates.Pending}', 0, @now)"));
        return committer.WriteAsync(new SqlStatement(
            $"INSERT IGNORE INTO result_steps (job_id, position, step, state, attempts, updated_at) VALUES {rows}",
            [Id("@job", jobId), P("@now", nowMillis), .. steps.Select((s, i) => P($"@step{i}", s))]));
    }

    /// <summary>The job's steps in order; empty before its pipeline first ran.</summary>
    public Task<List<ResultStep>> ListAsync(long jobId) =>
        dataSource.QueryAsync(new SqlStatement($"SELECT {Columns} FROM result_steps WHERE job_id = @job ORDER BY position", Id("@job", jobId)), Read);

    /// <summary>Counts one more attempt of a pending step before it runs (so a crash mid-step counts too); answers the attempt's number.</summary>
    public Task<int> BeginAttemptAsync(long jobId, int position, long nowMillis) =>
        committer.WriteAsync(
            [new SqlStatement(
                $"UPDATE result_steps SET attempts = attempts + 1, updated_at = @now WHERE job_id = @job AND position = @position AND state = '{StepStates.Pending}'",
                Id("@job", jobId), P("@position", position), P("@now", nowMillis))],
            "SELECT attempts FROM result_steps WHERE job_id = @job AND position = @position");

    /// <summary>Marks a step done with its output, in one commit with <paramref name="alongside"/> (what the step wrote).</summary>
    public Task CompleteAsync(long jobId, int position, JsonObject? output, long nowMillis, IReadOnlyList<SqlStatement> alongside) =>
        committer.WriteAsync(
            [.. alongside, new SqlStatement(
                $"UPDATE result_steps SET state = '{StepStates.Done}', output = @output, last_error = NULL, updated_at = @now WHERE job_id = @job AND position = @position",
                Id("@job", jobId), P("@position", position), P("@output", output?.ToJsonString()), P("@now", nowMillis))],
            JobWrite.RowCount);

    /// <summary>Records why an attempt failed; <paramref name="final"/> marks the step failed (no more attempts until a retry).</summary>
    public Task RecordFailureAsync(long jobId, int position, string error, bool final, long nowMillis) =>
        committer.WriteAsync(new SqlStatement(
            "UPDATE result_steps SET last_error = @error, state = @state, updated_at = @now WHERE job_id = @job AND position = @position",
            P("@error", error.Length > 2000 ? error[..2000] : error), P("@state", final ? StepStates.Failed : StepStates.Pending),
            Id("@job", jobId), P("@position", position), P("@now", nowMillis)));

    /// <summary>
    /// Makes the failed steps of a job pending again with fresh attempts, in one commit with <paramref name="reopen"/>
    /// (the job's <c>extract</c> effect due again, so the retry survives a crash). Answers how many steps it reset.
    /// </summary>
    public Task<int> RetryAsync(long jobId, long nowMillis, SqlStatement reopen) =>
        committer.WriteAsync(
            [reopen, new SqlStatement(
                $"UPDATE result_steps SET state = '{StepStates.Pending}', attempts = 0, updated_at = @now WHERE job_id = @job AND state = '{StepStates.Failed}'",
                Id("@job", jobId), P("@now", nowMillis))],
            JobWrite.RowCount);

    /// <summary>Failed steps, newest job first, after (below) job <paramref name="beforeJob"/> when given.</summary>
    public Task<List<ResultStep>> ListFailedAsync(long? beforeJob, int limit) =>
        dataSource.QueryAsync(
            new SqlStatement(
                $"SELECT {Columns} FROM result_steps WHERE state = '{StepStates.Failed}' AND (@before IS NULL OR job_id < @before) " +
                $"ORDER BY job_id DESC, position LIMIT {SqlLists.Limit(limit, 1000)}",
                Id("@before", beforeJob)),
            Read);

    /// <summary>
    /// Jobs whose pipeline has not ended (their <c>extract</c> effect is not done), newest first, each with its first
    /// step not done (null before the pipeline first ran) and when the effect was recorded.
    /// </summary>
    public async Task<List<(long JobId, long Since, string? EffectError, ResultStep? Current)>> ListPendingAsync(long? beforeJob, int limit)
    {
        var due = await dataSource.QueryAsync(
            new SqlStatement(
                "SELECT job_id, MIN(created_at), MAX(last_error) FROM job_effects WHERE kind = 'extract' AND done_at IS NULL AND (@before IS NULL OR job_id < @before) " +
                $"GROUP BY job_id ORDER BY job_id DESC LIMIT {SqlLists.Limit(limit, 1000)}",
                Id("@before", beforeJob)),
            r => (JobId: r.GetId(0), Since: r.GetInt64(1), Error: r.GetStringOrNull(2)));
        if (due.Count == 0)
        {
            return [];
        }

        var ids = string.Join(", ", due.Select((_, i) => $"@id{i}"));
        var current = (await dataSource.QueryAsync(
                new SqlStatement(
                    $"SELECT {Columns} FROM result_steps WHERE job_id IN ({ids}) AND state <> '{StepStates.Done}' ORDER BY job_id, position",
                    [.. due.Select((d, i) => Id($"@id{i}", d.JobId))]),
                Read))
            .GroupBy(s => s.JobId)
            .ToDictionary(g => g.Key, g => g.First());
        return [.. due.Select(d => (d.JobId, d.Since, d.Error, current.GetValueOrDefault(d.JobId)))];
    }

    private static ResultStep Read(MySqlConnector.MySqlDataReader r) => new(
        r.GetId(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetStringOrNull(5),
        r.GetStringOrNull(6) is { } output ? JsonNode.Parse(output) as JsonObject : null, r.GetInt64(7));
}
