using Microsoft.Extensions.Options;
using CompassCi.Grains.Storage;
using MySqlConnector;

namespace CompassCi.Grains.Testboxes;

/// <summary>
/// The SQL behind testbox heartbeats: the <c>testboxes</c> table, and the jobs each testbox holds. Heartbeats
/// are single-row upserts and need no group commit: a box beats once a minute.
/// </summary>
public sealed class TestboxStore(IOptions<JobStoreOptions> options) : IAsyncDisposable
{
    /// <summary>Stages in which a testbox has confirmed a job and so must keep heartbeating while it runs.</summary>
    private const string ConfirmedStages = "('running', 'post_run', 'manual_check', 'renew')";

    private readonly MySqlDataSource _dataSource = new(new MySqlConnectionStringBuilder(options.Value.ConnectionString) { ConnectionReset = false }.ConnectionString);

    /// <summary>Records a heartbeat: the box must beat again before <paramref name="deadlineMillis"/>.</summary>
    public async Task HeartbeatAsync(string testbox, long nowMillis, int intervalSeconds, long deadlineMillis)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "INSERT INTO testboxes (testbox, last_heartbeat, heartbeat_interval_s, heartbeat_deadline) VALUES (@t, @now, @interval, @deadline) " +
            "ON DUPLICATE KEY UPDATE last_heartbeat = GREATEST(last_heartbeat, @now), heartbeat_interval_s = @interval, " +
            "heartbeat_deadline = GREATEST(heartbeat_deadline, @deadline)", connection);
        command.Parameters.AddWithValue("@t", testbox);
        command.Parameters.AddWithValue("@now", nowMillis);
        command.Parameters.AddWithValue("@interval", intervalSeconds);
        command.Parameters.AddWithValue("@deadline", deadlineMillis);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The testbox's last heartbeat and the deadline for its next one; null when it never beat.</summary>
    public async Task<TestboxHeartbeat?> GetHeartbeatAsync(string testbox)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT last_heartbeat, heartbeat_interval_s, heartbeat_deadline FROM testboxes WHERE testbox = @t", connection);
        command.Parameters.AddWithValue("@t", testbox);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new TestboxHeartbeat(testbox, reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2)) : null;
    }

    /// <summary>The unfinished jobs the testbox holds, with whether each was cancelled.</summary>
    public async Task<List<HeldJob>> ListHeldJobsAsync(string testbox)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT id, job_stage, cancel_requested FROM jobs WHERE testbox = @t " +
            "AND job_stage IN ('boot', 'running', 'post_run', 'manual_check', 'renew') ORDER BY id", connection);
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
    public async Task<List<long>> ListJobsOfSilentTestboxesAsync(long nowMillis, int limit)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT j.id FROM testboxes t JOIN jobs j ON j.testbox = t.testbox " +
            $"WHERE t.heartbeat_deadline < @now AND j.job_stage IN {ConfirmedStages} AND j.boot_time < t.heartbeat_deadline " +
            $"ORDER BY t.heartbeat_deadline LIMIT {Math.Clamp(limit, 1, 10_000)}", connection);
        command.Parameters.AddWithValue("@now", nowMillis);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add((long)reader.GetUInt64(0));
        }

        return ids;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
