using CompassCi.Grains.Effects;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>job_effects</c>, the outbox of job changes. Rows are inserted by the job write that causes them
/// (<see cref="InsertIfWritten"/>, in that write's transaction), marked done by whoever delivered them, claimed again by
/// the sweeper when nobody did in time, and deleted a day after they were done.
/// </summary>
public sealed class JobEffectStore(MySqlConnector.MySqlDataSource dataSource, GroupCommitter committer)
{
    /// <summary>How long after an effect is recorded the sweeper may deliver it, if its writer has not by then.</summary>
    internal static readonly TimeSpan FirstRedriveAfter = TimeSpan.FromSeconds(30);

    private const string Columns = "job_id, version, kind, target, subject_id, attempts";

    /// <summary>
    /// Inserts the effects of a job write, only if that write's conditional update matched (see <see cref="JobStore.Written"/>).
    /// Each starts with one delivery attempt (its writer's) that the sweeper takes over after <paramref name="redriveAfter"/>.
    /// </summary>
    internal static SqlStatement InsertIfWritten(long jobId, int version, IReadOnlyList<JobEffect> effects, long nowMillis, TimeSpan? redriveAfter = null)
    {
        var rows = effects.Select((_, i) =>
            $"SELECT @fx_job, @fx_version, @fx_kind{i}, @fx_target{i}, @fx_subject{i}, @fx_now, @fx_due, 1 FROM DUAL WHERE {JobStore.Written} = 1");
        var parameters = new List<MySqlConnector.MySqlParameter>
        {
            Id("@fx_job", jobId), P("@fx_version", version), P("@fx_now", nowMillis),
            P("@fx_due", nowMillis + (long)(redriveAfter ?? FirstRedriveAfter).TotalMilliseconds),
        };
        for (var i = 0; i < effects.Count; i++)
        {
            parameters.Add(P($"@fx_kind{i}", effects[i].Kind));
            parameters.Add(P($"@fx_target{i}", effects[i].Target));
            parameters.Add(Id($"@fx_subject{i}", effects[i].Subject));
        }

        return new SqlStatement(
            "INSERT INTO job_effects (job_id, version, kind, target, subject_id, created_at, next_attempt_at, attempts) " + string.Join(" UNION ALL ", rows),
            [.. parameters]);
    }

    /// <summary>Marks delivered effects done, so nobody delivers them again.</summary>
    public Task MarkDoneAsync(long jobId, int version, IEnumerable<string> kinds, long nowMillis)
    {
        var list = kinds.ToList();
        var names = string.Join(", ", list.Select((_, i) => $"@kind{i}"));
        return committer.WriteAsync(new SqlStatement(
            $"UPDATE job_effects SET done_at = @now, last_error = NULL WHERE job_id = @job AND version = @version AND kind IN ({names}) AND done_at IS NULL",
            [Id("@job", jobId), P("@version", version), P("@now", nowMillis), .. list.Select((k, i) => P($"@kind{i}", k))]));
    }

    /// <summary>
    /// Marks every undone effect of <paramref name="kind"/> of a job done: for an effect whose work is finished by someone
    /// other than its handler (the results pipeline ends the <c>extract</c> effect when its last step is done or failed).
    /// </summary>
    public Task MarkKindDoneAsync(long jobId, string kind, long nowMillis) =>
        committer.WriteAsync(new SqlStatement(
            "UPDATE job_effects SET done_at = @now, last_error = NULL WHERE job_id = @job AND kind = @kind AND done_at IS NULL",
            Id("@job", jobId), P("@kind", kind), P("@now", nowMillis)));

    /// <summary>
    /// A statement that makes a job's effect of <paramref name="kind"/> due again (or records it anew, if the done one was
    /// already deleted): a retry of work that must survive a crash like the first delivery did.
    /// </summary>
    internal static SqlStatement Reopen(long jobId, int version, JobEffect effect, long nowMillis, TimeSpan redriveAfter) =>
        new(
            "INSERT INTO job_effects (job_id, version, kind, target, subject_id, created_at, next_attempt_at, attempts) " +
            "VALUES (@rx_job, @rx_version, @rx_kind, @rx_target, NULL, @rx_now, @rx_due, 1) " +
            "ON DUPLICATE KEY UPDATE done_at = NULL, last_error = NULL, attempts = 1, next_attempt_at = @rx_due",
            Id("@rx_job", jobId), P("@rx_version", version), P("@rx_kind", effect.Kind), P("@rx_target", effect.Target),
            P("@rx_now", nowMillis), P("@rx_due", nowMillis + (long)redriveAfter.TotalMilliseconds));

    /// <summary>Records why a delivery failed (for people; the sweeper retries regardless).</summary>
    public Task RecordFailureAsync(OutboxEntry entry, string error) =>
        dataSource.ExecuteAsync(new SqlStatement(
            "UPDATE job_effects SET last_error = @error WHERE job_id = @job AND version = @version AND kind = @kind",
            P("@error", error.Length > 1000 ? error[..1000] : error), Id("@job", entry.JobId), P("@version", entry.Version), P("@kind", entry.Effect.Kind)));

    /// <summary>Effects not done whose next delivery is due, oldest first.</summary>
    public Task<List<OutboxEntry>> ListDueAsync(long nowMillis, int limit) =>
        dataSource.QueryAsync(
            new SqlStatement(
                $"SELECT {Columns} FROM job_effects WHERE done_at IS NULL AND next_attempt_at < @now ORDER BY next_attempt_at LIMIT {SqlLists.Limit(limit)}",
                P("@now", nowMillis)),
            Read);

    /// <summary>
    /// Takes a due effect for one more delivery: counts the attempt and moves its next one to
    /// <paramref name="nextAttemptMillis"/>. False when another sweeper took it first or it was done meanwhile.
    /// </summary>
    public async Task<bool> ClaimAsync(OutboxEntry entry, long nextAttemptMillis) =>
        await dataSource.ExecuteAsync(new SqlStatement(
            "UPDATE job_effects SET attempts = attempts + 1, next_attempt_at = @next " +
            "WHERE job_id = @job AND version = @version AND kind = @kind AND done_at IS NULL AND attempts = @seen",
            P("@next", nextAttemptMillis), Id("@job", entry.JobId), P("@version", entry.Version), P("@kind", entry.Effect.Kind), P("@seen", entry.Attempts))) == 1;

    /// <summary>Every effect a job's changes recorded, done or not, in the order they were recorded.</summary>
    public Task<List<(OutboxEntry Entry, long? DoneAt)>> ListForJobAsync(long jobId) =>
        dataSource.QueryAsync(
            new SqlStatement($"SELECT {Columns}, done_at FROM job_effects WHERE job_id = @job ORDER BY version, created_at, kind", Id("@job", jobId)),
            r => (Read(r), r.GetInt64OrNull(6)));

    /// <summary>Effects recorded and not yet delivered (the outbox backlog), counted on the due index.</summary>
    public async Task<long> CountUndeliveredAsync() =>
        (await dataSource.QueryAsync(new SqlStatement("SELECT COUNT(*) FROM job_effects WHERE done_at IS NULL"), r => r.GetInt64(0)))[0];

    /// <summary>Forgets effects done before <paramref name="beforeMillis"/>; returns how many.</summary>
    public Task<int> DeleteDoneAsync(long beforeMillis, int limit) =>
        dataSource.ExecuteAsync(new SqlStatement($"DELETE FROM job_effects WHERE done_at < @before LIMIT {SqlLists.Limit(limit)}", P("@before", beforeMillis)));

    private static OutboxEntry Read(MySqlConnector.MySqlDataReader r) =>
        new(r.GetId(0), r.GetInt32(1), new JobEffect(r.GetString(2), r.GetString(3), r.GetIdOrNull(4)), r.GetInt32(5));
}
