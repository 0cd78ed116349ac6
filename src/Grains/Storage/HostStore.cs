using CompassCi.Grains.Testboxes;
using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>hosts</c> (wipes, quarantine), and the reader of a host's history from the jobs that ran on it.
/// The history is never written separately, so it cannot disagree with the jobs.
/// </summary>
public sealed class HostStore(MySqlDataSource dataSource)
{
    /// <summary>The most recent jobs handed to a testbox on the host that a history reads.</summary>
    public const int HistoryLimit = 2000;

    private const string HostJobColumns =
        "id, testbox, boot_time, finish_time, JSON_VALUE(jj, '$.prepares_host') IN ('true', '1'), job_health, JSON_VALUE(crash, '$.cause')";

    /// <summary>The host's row, or a fresh one when it has none.</summary>
    public async Task<HostRow> GetAsync(string host) =>
        await dataSource.FirstOrDefaultAsync(
            new SqlStatement(
                "SELECT wiped_at, quarantined, quarantined_at, quarantine_reason, suspects, health_check_job_id, released_at, release_reason FROM hosts WHERE host = @host",
                P("@host", host)),
            r => new HostRow(host, r.GetInt64OrNull(0), r.GetFlag(1), r.GetInt64OrNull(2), r.GetStringOrNull(3), r.GetStringOrNull(4), r.GetIdOrNull(5), r.GetInt64OrNull(6), r.GetStringOrNull(7)))
        ?? HostRow.Fresh(host);

    /// <summary>
    /// Every job handed to a testbox on the host at or after <paramref name="sinceMillis"/>, oldest first; at most the
    /// <see cref="HistoryLimit"/> most recent, so a host that is never wiped does not make each job's end slower.
    /// </summary>
    public async Task<List<HostJob>> ListJobsSinceAsync(string host, long sinceMillis)
    {
        var newestFirst = await dataSource.QueryAsync(
            new SqlStatement(
                $"SELECT {HostJobColumns} FROM jobs WHERE host = @host AND boot_time >= @since ORDER BY boot_time DESC, id DESC LIMIT {HistoryLimit}",
                P("@host", host), P("@since", sinceMillis)),
            ReadHostJob);
        newestFirst.Reverse();
        return newestFirst;
    }

    /// <summary>The jobs on the host that ended at or after <paramref name="sinceMillis"/>, newest end first.</summary>
    public Task<List<HostJob>> ListEndedNewestFirstAsync(string host, long sinceMillis, int limit) =>
        dataSource.QueryAsync(
            new SqlStatement(
                $"SELECT {HostJobColumns} FROM jobs WHERE host = @host AND boot_time >= @since AND job_stage = 'finish' " +
                $"ORDER BY finish_time DESC, id DESC LIMIT {SqlLists.Limit(limit, 1000)}",
                P("@host", host), P("@since", sinceMillis)),
            ReadHostJob);

    /// <summary>True when any job ever ran on <paramref name="host"/>.</summary>
    public async Task<bool> HasJobsAsync(string host) =>
        await dataSource.LongAsync(new SqlStatement("SELECT 1 FROM jobs WHERE host = @host LIMIT 1", P("@host", host))) is not null;

    /// <summary>Records a wipe: the host's history starts again from <paramref name="atMillis"/>.</summary>
    public Task WipeAsync(string host, long atMillis) =>
        dataSource.ExecuteAsync(new SqlStatement(
            "INSERT INTO hosts (host, wiped_at) VALUES (@host, @at) ON DUPLICATE KEY UPDATE wiped_at = GREATEST(COALESCE(wiped_at, 0), @at)",
            P("@host", host), P("@at", atMillis)));

    /// <summary>Quarantines the host, naming why and the suspect jobs (JSON array), and the health-check job if one was submitted.</summary>
    public Task QuarantineAsync(string host, long atMillis, string reason, string suspectsJson, long? healthCheckJobId) =>
        dataSource.ExecuteAsync(new SqlStatement(
            "INSERT INTO hosts (host, quarantined, quarantined_at, quarantine_reason, suspects, health_check_job_id) VALUES (@host, 1, @at, @reason, @suspects, @check) " +
            "ON DUPLICATE KEY UPDATE quarantined = 1, quarantined_at = @at, quarantine_reason = @reason, suspects = @suspects, health_check_job_id = @check",
            P("@host", host), P("@at", atMillis), P("@reason", reason), P("@suspects", suspectsJson), Id("@check", healthCheckJobId)));

    /// <summary>Releases a quarantined host; false when it was not quarantined.</summary>
    public async Task<bool> ReleaseAsync(string host, long atMillis, string reason) =>
        await dataSource.ExecuteAsync(new SqlStatement(
            "UPDATE hosts SET quarantined = 0, released_at = @at, release_reason = @reason, health_check_job_id = NULL WHERE host = @host AND quarantined = 1",
            P("@host", host), P("@at", atMillis), P("@reason", reason))) == 1;

    /// <summary>Every quarantined host, with why and its health-check job.</summary>
    public async Task<Dictionary<string, HostGate>> ListQuarantinedAsync()
    {
        var rows = await dataSource.QueryAsync(
            new SqlStatement("SELECT host, quarantine_reason, health_check_job_id FROM hosts WHERE quarantined = 1"),
            r => (Host: r.GetString(0), Gate: new HostGate(true, r.GetStringOrNull(1), r.GetIdOrNull(2))));
        return rows.ToDictionary(r => r.Host, r => r.Gate, StringComparer.Ordinal);
    }

    /// <summary>Every host known from the registry or the hosts table, with its testbox count and quarantine.</summary>
    public Task<List<(string Host, int Testboxes, bool Quarantined, long? WipedAt)>> ListAsync() =>
        dataSource.QueryAsync(
            new SqlStatement(
                "SELECT k.host, (SELECT COUNT(*) FROM testboxes t WHERE t.host = k.host), COALESCE(h.quarantined, 0), h.wiped_at " +
                "FROM (SELECT host FROM testboxes WHERE host IS NOT NULL UNION SELECT host FROM hosts) k LEFT JOIN hosts h ON h.host = k.host ORDER BY k.host"),
            r => (r.GetString(0), r.GetInt32(1), r.GetFlag(2), r.GetInt64OrNull(3)));

    private static HostJob ReadHostJob(MySqlDataReader r) =>
        new(r.GetId(0), r.GetStringOrNull(1) ?? string.Empty, r.GetInt64(2), r.GetInt64OrNull(3), r.GetFlag(4), r.GetStringOrNull(5), r.GetStringOrNull(6));
}
