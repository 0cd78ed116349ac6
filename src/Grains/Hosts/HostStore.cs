using CompassCi.Grains.Storage;
using MySqlConnector;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// The SQL of hosts: the <c>hosts</c> row (wipes, quarantine) and a host's history, read from the jobs that ran on
/// it. The history is never written separately, so it cannot disagree with the jobs.
/// </summary>
public sealed class HostStore(JobStore jobs)
{
    private const string HostJobColumns =
        "id, testbox, boot_time, finish_time, JSON_VALUE(jj, '$.prepares_host') IN ('true', '1'), job_health, JSON_VALUE(crash, '$.cause')";

    private readonly MySqlDataSource _dataSource = jobs.DataSource;

    /// <summary>The host's row, or a fresh one when it has none.</summary>
    public async Task<HostRow> GetAsync(string host)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT wiped_at, quarantined, quarantined_at, quarantine_reason, suspects, health_check_job_id, released_at, release_reason FROM hosts WHERE host = @host", connection);
        command.Parameters.AddWithValue("@host", host);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return HostRow.Fresh(host);
        }

        long? Long(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new HostRow(host, Long(0), reader.GetInt32(1) == 1, Long(2), Text(3), Text(4), reader.IsDBNull(5) ? null : (long)reader.GetUInt64(5), Long(6), Text(7));
    }

    /// <summary>The most recent jobs handed to a testbox on the host.</summary>
    public const int HistoryLimit = 2000;

    /// <summary>
    /// Every job handed to a testbox on the host at or after <paramref name="sinceMillis"/>, oldest first; at most the
    /// <see cref="HistoryLimit"/> most recent, so a host that is never wiped does not make each job's end slower.
    /// </summary>
    public async Task<List<HostJob>> ListJobsSinceAsync(string host, long sinceMillis)
    {
        var newestFirst = await QueryJobsAsync(
            $"SELECT {HostJobColumns} FROM jobs WHERE host = @host AND boot_time >= @since ORDER BY boot_time DESC, id DESC LIMIT {HistoryLimit}", host, sinceMillis);
        newestFirst.Reverse();
        return newestFirst;
    }

    /// <summary>The jobs on the host that ended at or after <paramref name="sinceMillis"/>, newest end first.</summary>
    public Task<List<HostJob>> ListEndedNewestFirstAsync(string host, long sinceMillis, int limit) =>
        QueryJobsAsync(
            $"SELECT {HostJobColumns} FROM jobs WHERE host = @host AND boot_time >= @since AND job_stage = 'finish' " +
            $"ORDER BY finish_time DESC, id DESC LIMIT {Math.Clamp(limit, 1, 1000)}", host, sinceMillis);

    /// <summary>Records a wipe: the host's history starts again from <paramref name="atMillis"/>.</summary>
    public Task WipeAsync(string host, long atMillis) =>
        ExecuteAsync("INSERT INTO hosts (host, wiped_at) VALUES (@host, @at) ON DUPLICATE KEY UPDATE wiped_at = GREATEST(COALESCE(wiped_at, 0), @at)", host, ("@at", atMillis));

    /// <summary>Quarantines the host, naming why and the suspect jobs (JSON array), and the health-check job if one was submitted.</summary>
    public Task QuarantineAsync(string host, long atMillis, string reason, string suspectsJson, long? healthCheckJobId) =>
        ExecuteAsync(
            "INSERT INTO hosts (host, quarantined, quarantined_at, quarantine_reason, suspects, health_check_job_id) VALUES (@host, 1, @at, @reason, @suspects, @check) " +
            "ON DUPLICATE KEY UPDATE quarantined = 1, quarantined_at = @at, quarantine_reason = @reason, suspects = @suspects, health_check_job_id = @check",
            host, ("@at", atMillis), ("@reason", reason), ("@suspects", suspectsJson), ("@check", healthCheckJobId is { } id ? (ulong)id : null));

    /// <summary>Releases a quarantined host; false when it was not quarantined.</summary>
    public async Task<bool> ReleaseAsync(string host, long atMillis, string reason) =>
        await ExecuteAsync(
            "UPDATE hosts SET quarantined = 0, released_at = @at, release_reason = @reason, health_check_job_id = NULL WHERE host = @host AND quarantined = 1",
            host, ("@at", atMillis), ("@reason", reason)) == 1;

    /// <summary>Every quarantined host, with why and its health-check job.</summary>
    public async Task<Dictionary<string, Testboxes.HostGate>> ListQuarantinedAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand("SELECT host, quarantine_reason, health_check_job_id FROM hosts WHERE quarantined = 1", connection);
        var gates = new Dictionary<string, Testboxes.HostGate>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            gates[reader.GetString(0)] = new Testboxes.HostGate(true, reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : (long)reader.GetUInt64(2));
        }

        return gates;
    }

    /// <summary>Every host known from the registry or the hosts table, with its testbox count and quarantine.</summary>
    public async Task<List<(string Host, int Testboxes, bool Quarantined, long? WipedAt)>> ListAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT k.host, (SELECT COUNT(*) FROM testboxes t WHERE t.host = k.host), COALESCE(h.quarantined, 0), h.wiped_at " +
            "FROM (SELECT host FROM testboxes WHERE host IS NOT NULL UNION SELECT host FROM hosts) k LEFT JOIN hosts h ON h.host = k.host ORDER BY k.host", connection);
        var hosts = new List<(string, int, bool, long?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            hosts.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2) == 1, reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return hosts;
    }

    private async Task<List<HostJob>> QueryJobsAsync(string sql, string host, long sinceMillis)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@host", host);
        command.Parameters.AddWithValue("@since", sinceMillis);
        var jobs = new List<HostJob>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            jobs.Add(new HostJob(
                (long)reader.GetUInt64(0),
                reader.IsDBNull(1) ? string.Empty : reader.GetString(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                !reader.IsDBNull(4) && reader.GetInt32(4) == 1,
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return jobs;
    }

    private async Task<int> ExecuteAsync(string sql, string host, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@host", host);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync();
    }
}
