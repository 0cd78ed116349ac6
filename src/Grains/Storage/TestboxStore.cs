using CompassCi.Grains.Testboxes;
using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>testboxes</c>, the registry (heartbeats, what each box offers), and the reader of the jobs each
/// testbox holds. Writes are single-row upserts per heartbeat, and one merged upsert for many consume sightings.
/// </summary>
public sealed class TestboxStore(MySqlDataSource dataSource)
{
    /// <summary>
    /// Records a heartbeat, stamped on the database's clock: the box must beat again within <paramref name="windowMillis"/>.
    /// Answers when it beat and its deadline, as stored.
    /// </summary>
    public async Task<(long LastHeartbeat, long Deadline)> HeartbeatAsync(string testbox, string host, int intervalSeconds, long windowMillis)
    {
        await dataSource.ExecuteAsync(new SqlStatement(
            "INSERT INTO testboxes (testbox, host, last_seen, last_heartbeat, heartbeat_interval_s, heartbeat_deadline, held_at_beat) " +
            $"VALUES (@t, @host, {SqlLists.NowMillis}, {SqlLists.NowMillis}, @interval, {SqlLists.NowMillis} + @window, {HeldNow}) " +
            "ON DUPLICATE KEY UPDATE host = @host, last_seen = GREATEST(COALESCE(last_seen, 0), VALUES(last_seen)), " +
            "last_heartbeat = GREATEST(COALESCE(last_heartbeat, 0), VALUES(last_heartbeat)), heartbeat_interval_s = @interval, " +
            "heartbeat_deadline = GREATEST(COALESCE(heartbeat_deadline, 0), VALUES(heartbeat_deadline)), held_at_beat = VALUES(held_at_beat)",
            P("@t", testbox), P("@host", host), P("@interval", intervalSeconds), P("@window", windowMillis)));
        return await dataSource.FirstOrDefaultAsync(
            new SqlStatement("SELECT last_heartbeat, heartbeat_deadline FROM testboxes WHERE testbox = @t", P("@t", testbox)),
            r => (r.GetInt64(0), r.GetInt64(1)));
    }

    /// <summary>The ids of the jobs the box holds, read in the heartbeat's own statement (comma-separated, for FIND_IN_SET).</summary>
    private static readonly string HeldNow = $"(SELECT GROUP_CONCAT(id ORDER BY id) FROM jobs WHERE testbox = @t AND job_stage IN {SqlLists.ActiveStages})";

    /// <summary>Writes consume sightings in one statement: what each box offers, when it asked, until when it waits.</summary>
    public Task UpsertSightingsAsync(IReadOnlyList<TestboxSighting> sightings)
    {
        ArgumentNullException.ThrowIfNull(sightings);
        var rows = new List<string>(sightings.Count);
        var parameters = new List<MySqlParameter>(sightings.Count * 6);
        for (var i = 0; i < sightings.Count; i++)
        {
            var s = sightings[i];
            rows.Add($"(@t{i}, @h{i}, @g{i}, @m{i}, @s{i}, @w{i})");
            parameters.AddRange([P($"@t{i}", s.Testbox), P($"@h{i}", s.Host), P($"@g{i}", s.Tags), P($"@m{i}", s.MemoryMb), P($"@s{i}", s.Seen), P($"@w{i}", s.WaitingUntil)]);
        }

        // A sighting without tags only ends a wait: it leaves what the box offers as it was.
        return dataSource.ExecuteAsync(new SqlStatement(
            "INSERT INTO testboxes (testbox, host, tags, memory_mb, last_seen, waiting_until) VALUES " + string.Join(", ", rows) +
            " ON DUPLICATE KEY UPDATE host = COALESCE(VALUES(host), host), memory_mb = IF(VALUES(tags) IS NULL, memory_mb, VALUES(memory_mb)), " +
            "tags = COALESCE(VALUES(tags), tags), last_seen = GREATEST(COALESCE(last_seen, 0), VALUES(last_seen)), waiting_until = VALUES(waiting_until)",
            [.. parameters]));
    }

    /// <summary>
    /// Records the state an lkp testbox reports with <c>lkp-wtmp</c> (network_up, running, rebooting, …), stamped on the
    /// database's clock, with the job, mac and ip it named. A box never seen before gets its registry row here.
    /// </summary>
    public Task RecordWtmpAsync(string testbox, string state, long? jobId, string? mac, string? ip) =>
        dataSource.ExecuteAsync(new SqlStatement(
            "INSERT INTO testboxes (testbox, wtmp_state, wtmp_time, wtmp_job_id, wtmp_mac, wtmp_ip) " +
            $"VALUES (@t, @state, {SqlLists.NowMillis}, @job, @mac, @ip) " +
            "ON DUPLICATE KEY UPDATE wtmp_state = VALUES(wtmp_state), wtmp_time = VALUES(wtmp_time), wtmp_job_id = VALUES(wtmp_job_id), " +
            "wtmp_mac = VALUES(wtmp_mac), wtmp_ip = VALUES(wtmp_ip)",
            P("@t", testbox), P("@state", state), P("@job", jobId is { } id ? (ulong)id : null), P("@mac", mac), P("@ip", ip)));

    /// <summary>Every registered testbox with what it holds and whether its host is quarantined, by name.</summary>
    public Task<List<TestboxRow>> ListAsync(string? host = null)
    {
        var held = $"FROM jobs j WHERE j.testbox = t.testbox AND j.job_stage IN {SqlLists.ActiveStages} ORDER BY j.id DESC LIMIT 1";
        return dataSource.QueryAsync(
            new SqlStatement(
                "SELECT t.testbox, t.host, t.tags, t.memory_mb, t.last_seen, t.last_heartbeat, t.heartbeat_deadline, t.waiting_until, " +
                $"(SELECT j.id {held}) AS job_id, (SELECT j.job_stage {held}) AS job_stage, " +
                "COALESCE(h.quarantined, 0), t.wtmp_state, t.wtmp_time FROM testboxes t LEFT JOIN hosts h ON h.host = t.host" +
                (host is null ? "" : " WHERE t.host = @host") + " ORDER BY t.testbox",
                P("@host", host)),
            r => new TestboxRow(
                r.GetString(0), r.GetStringOrNull(1), r.GetStringOrNull(2), r.GetInt64OrNull(3), r.GetInt64OrNull(4), r.GetInt64OrNull(5),
                r.GetInt64OrNull(6), r.GetInt64OrNull(7), r.GetIdOrNull(8), r.GetStringOrNull(9), r.GetFlag(10))
            {
                WtmpState = r.GetStringOrNull(11),
                WtmpTime = r.GetInt64OrNull(12),
            });
    }

    /// <summary>The testbox's last heartbeat and the deadline for its next one, judged on the database's clock; null when it never beat.</summary>
    public Task<TestboxHeartbeat?> GetHeartbeatAsync(string testbox) =>
        dataSource.FirstOrDefaultAsync(
            new SqlStatement(
                $"SELECT last_heartbeat, heartbeat_interval_s, heartbeat_deadline, heartbeat_deadline < {SqlLists.NowMillis}, {SqlLists.NowMillis} - last_heartbeat, held_at_beat " +
                "FROM testboxes WHERE testbox = @t AND heartbeat_deadline IS NOT NULL",
                P("@t", testbox)),
            r => new TestboxHeartbeat(testbox, r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), r.GetFlag(3), r.GetInt64(4), Ids(r.GetStringOrNull(5))));

    private static long[] Ids(string? list) =>
        string.IsNullOrEmpty(list) ? [] : [.. list.Split(',').Select(i => long.Parse(i, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The unfinished jobs the testbox holds, with whether each was cancelled.</summary>
    public Task<List<HeldJob>> ListHeldJobsAsync(string testbox) =>
        dataSource.QueryAsync(
            new SqlStatement($"SELECT id, job_stage, cancel_requested FROM jobs WHERE testbox = @t AND job_stage IN {SqlLists.ActiveStages} ORDER BY id", P("@t", testbox)),
            r => new HeldJob(r.GetId(0), r.GetString(1), r.GetBoolean(2)));

    /// <summary>
    /// Confirmed jobs whose testbox has gone silent: its heartbeat deadline has passed, and it was heartbeating
    /// after the job was handed to it. A box that stopped beating before it took the job is watched by the
    /// job's deadlines only, so a box that switches to a plain lkp client is not mistaken for a dead one. Judged on the
    /// database's clock, which stamped the deadlines.
    /// </summary>
    public Task<List<long>> ListJobsOfSilentTestboxesAsync(int limit) =>
        dataSource.IdsAsync(new SqlStatement(
            "SELECT j.id FROM testboxes t JOIN jobs j ON j.testbox = t.testbox " +
            $"WHERE t.heartbeat_deadline < {SqlLists.NowMillis} AND j.job_stage IN {SqlLists.ConfirmedStages} AND FIND_IN_SET(j.id, t.held_at_beat) " +
            $"ORDER BY t.heartbeat_deadline LIMIT {SqlLists.Limit(limit)}"));
}
