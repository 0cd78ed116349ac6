using CompassCi.Grains.Storage;
using MySqlConnector;

namespace CompassCi.Grains.Testboxes;

/// <summary>
/// The SQL of the testbox registry: the <c>testboxes</c> table (heartbeats, what each box offers), and the jobs
/// each testbox holds. Writes are single-row upserts, one per heartbeat or consume.
/// </summary>
public sealed class TestboxStore(JobStore jobs)
{
    /// <summary>Stages in which a testbox has confirmed a job and so must keep heartbeating while it runs.</summary>
    private const string ConfirmedStages = "('running', 'post_run', 'manual_check', 'renew')";

    private readonly MySqlDataSource _dataSource = jobs.DataSource;

    /// <summary>Records a heartbeat: the box must beat again before <paramref name="deadlineMillis"/>.</summary>
    public async Task HeartbeatAsync(string testbox, string host, long nowMillis, int intervalSeconds, long deadlineMillis)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "INSERT INTO testboxes (testbox, host, last_seen, last_heartbeat, heartbeat_interval_s, heartbeat_deadline) VALUES (@t, @host, @now, @now, @interval, @deadline) " +
            "ON DUPLICATE KEY UPDATE host = @host, last_seen = GREATEST(COALESCE(last_seen, 0), @now), last_heartbeat = GREATEST(COALESCE(last_heartbeat, 0), @now), " +
            "heartbeat_interval_s = @interval, heartbeat_deadline = GREATEST(COALESCE(heartbeat_deadline, 0), @deadline)", connection);
        command.Parameters.AddWithValue("@t", testbox);
        command.Parameters.AddWithValue("@host", host);
        command.Parameters.AddWithValue("@now", nowMillis);
        command.Parameters.AddWithValue("@interval", intervalSeconds);
        command.Parameters.AddWithValue("@deadline", deadlineMillis);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Writes consume sightings in one statement: what each box offers, when it asked, until when it waits.</summary>
    public async Task UpsertSightingsAsync(IReadOnlyList<TestboxSighting> sightings)
    {
        ArgumentNullException.ThrowIfNull(sightings);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand { Connection = connection };
        var rows = new List<string>(sightings.Count);
        for (var i = 0; i < sightings.Count; i++)
        {
            var s = sightings[i];
            rows.Add($"(@t{i}, @h{i}, @g{i}, @m{i}, @s{i}, @w{i})");
            command.Parameters.AddWithValue($"@t{i}", s.Testbox);
            command.Parameters.AddWithValue($"@h{i}", s.Host);
            command.Parameters.AddWithValue($"@g{i}", s.Tags);
            command.Parameters.AddWithValue($"@m{i}", s.MemoryMb);
            command.Parameters.AddWithValue($"@s{i}", s.Seen);
            command.Parameters.AddWithValue($"@w{i}", s.WaitingUntil);
        }

        // A sighting without tags only ends a wait: it leaves what the box offers as it was.
        command.CommandText =
            "INSERT INTO testboxes (testbox, host, tags, memory_mb, last_seen, waiting_until) VALUES " + string.Join(", ", rows) +
            " ON DUPLICATE KEY UPDATE host = COALESCE(VALUES(host), host), memory_mb = IF(VALUES(tags) IS NULL, memory_mb, VALUES(memory_mb)), " +
            "tags = COALESCE(VALUES(tags), tags), last_seen = GREATEST(COALESCE(last_seen, 0), VALUES(last_seen)), waiting_until = VALUES(waiting_until)";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every registered testbox with what it holds and whether its host is quarantined, by name.</summary>
    public async Task<List<TestboxRow>> ListAsync(string? host = null)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT t.testbox, t.host, t.tags, t.memory_mb, t.last_seen, t.last_heartbeat, t.heartbeat_deadline, t.waiting_until, " +
            $"(SELECT j.id FROM jobs j WHERE j.testbox = t.testbox AND j.job_stage IN {JobRows.ActiveStages} ORDER BY j.id DESC LIMIT 1) AS job_id, " +
            $"(SELECT j.job_stage FROM jobs j WHERE j.testbox = t.testbox AND j.job_stage IN {JobRows.ActiveStages} ORDER BY j.id DESC LIMIT 1) AS job_stage, " +
            "COALESCE(h.quarantined, 0) FROM testboxes t LEFT JOIN hosts h ON h.host = t.host" +
            (host is null ? "" : " WHERE t.host = @host") + " ORDER BY t.testbox", connection);
        command.Parameters.AddWithValue("@host", host);
        var rows = new List<TestboxRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            long? Long(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
            rows.Add(new TestboxRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                Long(3),
                Long(4),
                Long(5),
                Long(6),
                Long(7),
                reader.IsDBNull(8) ? null : (long)reader.GetUInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetInt32(10) == 1));
        }

        return rows;
    }

    /// <summary>The testbox's last heartbeat and the deadline for its next one; null when it never beat.</summary>
    public async Task<TestboxHeartbeat?> GetHeartbeatAsync(string testbox)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT last_heartbeat, heartbeat_interval_s, heartbeat_deadline FROM testboxes WHERE testbox = @t", connection);
        command.Parameters.AddWithValue("@t", testbox);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() && !reader.IsDBNull(2)
            ? new TestboxHeartbeat(testbox, reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2))
            : null;
    }

    /// <summary>The unfinished jobs the testbox holds, with whether each was cancelled.</summary>
    public async Task<List<HeldJob>> ListHeldJobsAsync(string testbox)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT id, job_stage, cancel_requested FROM jobs WHERE testbox = @t " +
            $"AND job_stage IN {JobRows.ActiveStages} ORDER BY id", connection);
        command.Parameters.AddWithValue("@t", testbox);
        var held = new List<HeldJob>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            held.Add(new HeldJob((long)reader.GetUInt64(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return held;
    }

    /// <summary>
    /// Confirmed jobs whose testbox has gone silent: its heartbeat deadline has passed, and it was heartbeating
    /// after the job was handed to it. A box that stopped beating before it took the job is watched by the
    /// job's deadlines only, so a box that switches to a plain lkp client is not mistaken for a dead one.
    /// </summary>
    public Task<List<long>> ListJobsOfSilentTestboxesAsync(long nowMillis, int limit) =>
        SqlIds.ReadAsync(
            _dataSource,
            "SELECT j.id FROM testboxes t JOIN jobs j ON j.testbox = t.testbox " +
            $"WHERE t.heartbeat_deadline < @now AND j.job_stage IN {ConfirmedStages} AND j.boot_time < t.heartbeat_deadline " +
            $"ORDER BY t.heartbeat_deadline LIMIT {Math.Clamp(limit, 1, 10_000)}",
            ("@now", nowMillis));
}
