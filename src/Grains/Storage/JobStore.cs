using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// Every SQL statement that touches the <c>jobs</c> table. Writes share commits (see
/// <see cref="GroupCommitter"/>); point reads share queries (see <see cref="BatchedJobReader"/>).
/// </summary>
public sealed class JobStore : IAsyncDisposable
{
    private readonly MySqlDataSource _dataSource;
    private readonly GroupCommitter _committer;
    private readonly BatchedJobReader _reader;

    public JobStore(IOptions<JobStoreOptions> options, ILogger<JobStore> logger)
    {
        var o = options.Value;
        // Every statement here commits or rolls back and sets no session state, so the pool's per-open
        // connection reset (a round trip on every open) buys nothing.
        _dataSource = new MySqlDataSource(new MySqlConnectionStringBuilder(o.ConnectionString) { ConnectionReset = false }.ConnectionString);
        _committer = new GroupCommitter(_dataSource, o.ConcurrentCommits, o.MaxWritesPerCommit, logger);
        _reader = new BatchedJobReader(_dataSource, o.ConcurrentCommits);
    }

    /// <summary>
    /// The connection pool of the scheduler's database. The other stores (testboxes, hosts, clusters) use this one
    /// pool rather than opening their own to the same database.
    /// </summary>
    internal MySqlDataSource DataSource => _dataSource;

    /// <summary>Stores a new job. False when a different job already has this id.</summary>
    public async Task<bool> InsertAsync(JobRecord job)
    {
        if (await _committer.WriteAsync(InsertSql, InsertParameters(job)) == 1)
        {
            return true;
        }

        // A commit whose acknowledgement was lost is retried and then meets its own row: that is success.
        var existing = await GetAsync(job.Id);
        return existing is not null && existing.SubmitTime == job.SubmitTime && existing.Document == job.Document;
    }

    /// <summary>
    /// Ends a crashed job and stores the attempt that replaces it, in one transaction: either both happen or
    /// neither, so a crash is never rescheduled twice and a reschedule is never lost. False, with nothing
    /// written, when the job's row no longer has <paramref name="expectedVersion"/>.
    /// </summary>
    public async Task<bool> FinishAndRescheduleAsync(JobRecord finished, int expectedVersion, JobEvent finish, JobEvent rescheduled, JobRecord successor)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var update = new MySqlCommand("UPDATE jobs SET " + MutableColumns + " WHERE id = @id AND version = @expected", connection, transaction))
        {
            update.Parameters.AddRange(MutableParameters(finished, finish));
            update.Parameters.Add(P("@id", (ulong)finished.Id));
            update.Parameters.Add(P("@expected", expectedVersion));
            if (await update.ExecuteNonQueryAsync() != 1)
            {
                await transaction.RollbackAsync();
                return false;
            }
        }

        await using (var append = new MySqlCommand("UPDATE jobs SET events = JSON_ARRAY_APPEND(events, '$', JSON_EXTRACT(@event, '$')) WHERE id = @id", connection, transaction))
        {
            append.Parameters.Add(P("@event", rescheduled.ToJson()));
            append.Parameters.Add(P("@id", (ulong)finished.Id));
            await append.ExecuteNonQueryAsync();
        }

        await using (var insert = new MySqlCommand(InsertSql, connection, transaction))
        {
            insert.Parameters.AddRange(InsertParameters(successor));
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return true;
    }

    /// <summary>
    /// Writes the mutable columns of <paramref name="job"/> if the row still has <paramref name="expectedVersion"/>.
    /// False when someone else changed it first: the caller reloads and decides again.
    /// </summary>
    public async Task<bool> UpdateAsync(JobRecord job, int expectedVersion, JobEvent change)
    {
        var changed = await _committer.WriteAsync(
            "UPDATE jobs SET " + MutableColumns + " WHERE id = @id AND version = @expected",
            [.. MutableParameters(job, change), P("@id", (ulong)job.Id), P("@expected", expectedVersion)]);
        return changed == 1;
    }

    /// <summary>
    /// Assigns a pending job: the conditional write of <see cref="UpdateAsync"/>, fenced by the consume
    /// request's attempt when <paramref name="attempt"/> is above zero. The fence read is a locking read, so
    /// a retry that bumps the attempt waits for this write to commit or fail, and a write that arrives after
    /// the bump finds a newer attempt and changes nothing.
    /// </summary>
    public async Task<bool> AssignAsync(JobRecord job, int expectedVersion, int attempt, JobEvent change)
    {
        var fence = attempt > 0
            ? " AND (SELECT attempt FROM consume_requests WHERE request_id = @lease_id LOCK IN SHARE MODE) = @attempt"
            : "";
        var changed = await _committer.WriteAsync(
            "UPDATE jobs SET " + MutableColumns + " WHERE id = @id AND version = @expected" + fence,
            [.. MutableParameters(job, change), P("@id", (ulong)job.Id), P("@expected", expectedVersion), P("@attempt", attempt)]);
        return changed == 1;
    }

    /// <summary>
    /// Stores the node jobs of a cluster and its barrier row in one transaction: a cluster exists whole or not at
    /// all, so no node can be dispatched for a cluster that was never recorded.
    /// </summary>
    public async Task InsertClusterAsync(IReadOnlyList<JobRecord> nodeJobs, long clusterId, string outcome, long? startDeadline, long createdAt, string state)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var job in nodeJobs)
        {
            await using var insert = new MySqlCommand(InsertSql, connection, transaction);
            insert.Parameters.AddRange(InsertParameters(job));
            await insert.ExecuteNonQueryAsync();
        }

        await using (var barrier = new MySqlCommand(
            "INSERT INTO cluster_barriers (cluster_id, version, outcome, start_deadline, created_at, state) VALUES (@id, 1, @outcome, @start_deadline, @created_at, @state)",
            connection,
            transaction))
        {
            barrier.Parameters.Add(P("@id", (ulong)clusterId));
            barrier.Parameters.Add(P("@outcome", outcome));
            barrier.Parameters.Add(P("@start_deadline", startDeadline));
            barrier.Parameters.Add(P("@created_at", createdAt));
            barrier.Parameters.Add(P("@state", state));
            await barrier.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>The host has acted on the job's end: the sweeper need not tell it again.</summary>
    public Task MarkHostToldAsync(long id) =>
        _committer.WriteAsync("UPDATE jobs SET host_pending = NULL WHERE id = @id AND host_pending = 1", P("@id", (ulong)id));

    /// <summary>Ended jobs whose host has not acted on them, ended before <paramref name="beforeMillis"/>: id and host.</summary>
    public async Task<List<(long Id, string Host)>> ListHostPendingAsync(long beforeMillis, int limit)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            $"SELECT id, host FROM jobs WHERE host_pending = 1 AND finish_time < @before ORDER BY finish_time LIMIT {Math.Clamp(limit, 1, 10_000)}", connection);
        command.Parameters.AddWithValue("@before", beforeMillis);
        var pending = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pending.Add(((long)reader.GetUInt64(0), reader.GetString(1)));
        }

        return pending;
    }

    /// <summary>The job's history, oldest first, as a JSON array; null when there is no such job.</summary>
    public async Task<string?> GetEventsAsync(long id)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand("SELECT COALESCE(events, '[]') FROM jobs WHERE id = @id", connection);
        command.Parameters.AddWithValue("@id", (ulong)id);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>
    /// Records one more attempt of a consume request and returns its number (1 for the first). The row lock
    /// orders it against any assignment of an earlier attempt still in flight.
    /// </summary>
    public Task<int> BeginConsumeAttemptAsync(string requestId, string testbox, long nowMillis) =>
        _committer.WriteAsync(
            "INSERT INTO consume_requests (request_id, testbox, attempt, created_at) VALUES (@r, @t, 1, @now) " +
            "ON DUPLICATE KEY UPDATE attempt = attempt + 1",
            "SELECT attempt FROM consume_requests WHERE request_id = @r",
            P("@r", requestId), P("@t", testbox), P("@now", nowMillis));

    /// <summary>Forgets consume request ids older than <paramref name="beforeMillis"/>; returns how many.</summary>
    public async Task<int> DeleteConsumeRequestsAsync(long beforeMillis, int limit)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand($"DELETE FROM consume_requests WHERE created_at < @before LIMIT {limit}", connection);
        command.Parameters.AddWithValue("@before", beforeMillis);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Ids of active jobs whose deadline is before <paramref name="nowMillis"/>, oldest deadline first.</summary>
    public Task<List<long>> ListOverdueAsync(long nowMillis, int limit) =>
        SqlIds.ReadAsync(
            _dataSource,
            $"SELECT id FROM jobs WHERE job_stage IN {JobRows.ActiveStages} " +
            $"AND deadline < @now ORDER BY deadline LIMIT {Math.Clamp(limit, 1, 10_000)}",
            ("@now", nowMillis));

    /// <summary>Crashed jobs that ended in [<paramref name="sinceMillis"/>, <paramref name="untilMillis"/>), counted by cause and notify.</summary>
    public async Task<List<CrashCount>> CountCrashesAsync(long sinceMillis, long untilMillis)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT JSON_VALUE(crash, '$.cause') AS cause, JSON_VALUE(crash, '$.notify') AS notify, COUNT(*), " +
            "SUM(JSON_VALUE(crash, '$.fatal') IN ('true', '1')), SUM(rescheduled_as IS NOT NULL) FROM jobs " +
            "WHERE finish_time >= @since AND finish_time < @until AND crash IS NOT NULL GROUP BY cause, notify ORDER BY cause, notify", connection);
        command.Parameters.AddWithValue("@since", sinceMillis);
        command.Parameters.AddWithValue("@until", untilMillis);
        var counts = new List<CrashCount>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts.Add(new CrashCount(
                reader.IsDBNull(0) ? "unknown" : reader.GetString(0),
                reader.IsDBNull(1) ? "unknown" : reader.GetString(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? 0 : Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(4) ? 0 : Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return counts;
    }

    /// <summary>Pending jobs of the same queue that go before <paramref name="job"/>: higher priority, or as high and older.</summary>
    public async Task<int> CountAheadAsync(JobRecord job)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT COUNT(*) FROM jobs WHERE queue_key = @key AND job_stage = 'submit' AND id <> @id AND " +
            "(priority > @priority OR (priority = @priority AND (submit_time < @time OR (submit_time = @time AND id < @id))))", connection);
        command.Parameters.AddWithValue("@key", job.QueueKey);
        command.Parameters.AddWithValue("@id", (ulong)job.Id);
        command.Parameters.AddWithValue("@priority", job.Priority);
        command.Parameters.AddWithValue("@time", job.SubmitTime);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The job with this id, or null.</summary>
    public Task<JobRecord?> GetAsync(long id) => _reader.GetAsync(id);

    /// <summary>The job a testbox holds under a given consume request, if any.</summary>
    public async Task<JobRecord?> FindByLeaseAsync(string testbox, string leaseId)
    {
        var rows = await QueryAsync(
            $"SELECT {JobRows.Columns} FROM jobs WHERE testbox = @testbox AND lease_id = @lease_id LIMIT 1",
            P("@testbox", testbox), P("@lease_id", leaseId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The pending jobs of one queue, optionally only those with an id of at least <paramref name="minId"/>.</summary>
    public async Task<List<PendingJob>> ListPendingAsync(string queueKey, long minId = 0)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT id, priority, submit_time, memory_mb, my_account FROM jobs " +
            "WHERE queue_key = @queue_key AND job_stage = 'submit' AND id >= @min_id", connection);
        command.Parameters.AddWithValue("@queue_key", queueKey);
        command.Parameters.AddWithValue("@min_id", (ulong)Math.Max(0, minId));
        var result = new List<PendingJob>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(new PendingJob((long)reader.GetUInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), string.Intern(reader.GetString(4))));
        }

        return result;
    }

    /// <summary>Every queue key that has a pending job: what the queue directory starts from.</summary>
    public async Task<List<string>> ListPendingQueueKeysAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand("SELECT DISTINCT queue_key FROM jobs WHERE job_stage = 'submit'", connection);
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    /// <summary>A page of jobs, newest first.</summary>
    public Task<List<JobRecord>> ListAsync(JobQuery query)
    {
        var where = new List<string>();
        var parameters = new List<MySqlParameter>();
        void Filter(string column, object? value)
        {
            if (value is null)
            {
                return;
            }

            where.Add($"{column} = @{column}");
            parameters.Add(P("@" + column, value));
        }

        Filter("job_stage", query.Stage);
        Filter("my_account", query.Account);
        Filter("suite", query.Suite);
        Filter("tbox_group", query.TboxGroup);
        Filter("testbox", query.Testbox);
        if (query.BeforeId is { } before)
        {
            where.Add("id < @before");
            parameters.Add(P("@before", (ulong)before));
        }

        var sql = $"SELECT {JobRows.Columns} FROM jobs" +
                  (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                  $" ORDER BY id DESC LIMIT {Math.Clamp(query.Limit, 1, 1000)}";
        return QueryAsync(sql, [.. parameters]);
    }

    /// <summary>True when the database answers.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new MySqlCommand("SELECT 1", connection);
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken)) == 1;
        }
        catch (MySqlException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _committer.DisposeAsync();
        await _reader.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private async Task<List<JobRecord>> QueryAsync(string sql, params MySqlParameter[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        var result = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(JobRows.Read(reader));
        }

        return result;
    }

    private const string InsertSql =
        "INSERT INTO jobs (id, submit_time, my_account, suite, tbox_group, testbox, arch, queue_key, job_stage, " +
        "job_health, priority, memory_mb, lease_id, boot_time, version, jj, attempt, rescheduled_from, cluster_id, events) VALUES (@id, " +
        "@submit_time, @account, @suite, @tbox_group, @testbox, @arch, @queue_key, @stage, @health, @priority, @memory_mb, " +
        "@lease_id, @boot_time, @version, @jj, @attempt, @rescheduled_from, @cluster_id, JSON_ARRAY(JSON_EXTRACT(@event, '$')))";

    private static MySqlParameter[] InsertParameters(JobRecord job) =>
    [
        P("@id", (ulong)job.Id), P("@submit_time", job.SubmitTime), P("@account", job.Account), P("@suite", job.Suite),
        P("@tbox_group", job.TboxGroup), P("@testbox", job.Testbox), P("@arch", job.Arch), P("@queue_key", job.QueueKey),
        P("@stage", job.Stage), P("@health", job.Health), P("@priority", job.Priority), P("@memory_mb", job.MemoryMb),
        P("@lease_id", job.LeaseId), P("@boot_time", job.BootTime), P("@version", job.Version), P("@jj", job.Document),
        P("@attempt", job.Attempt), P("@rescheduled_from", job.RescheduledFrom is { } from ? (ulong)from : null),
        P("@cluster_id", job.ClusterId is { } cluster ? (ulong)cluster : null),
        P("@event", new JobEvent(job.SubmitTime, "submitted", job.RescheduledFrom is { } original
            ? new System.Text.Json.Nodes.JsonObject { ["rescheduled_from"] = original.ToString(System.Globalization.CultureInfo.InvariantCulture), ["attempt"] = job.Attempt }
            : null).ToJson()),
    ];

    /// <summary>Every column a job's life changes, and the event appended with the change.</summary>
    private const string MutableColumns =
        "testbox = @testbox, job_stage = @stage, job_health = @health, lease_id = @lease_id, boot_time = @boot_time, " +
        "running_time = @running_time, post_run_time = @post_run_time, manual_check_time = @manual_check_time, " +
        "renew_time = @renew_time, finish_time = @finish_time, deadline = @deadline, crash = @crash, " +
        "cancel_requested = @cancel_requested, rescheduled_as = @rescheduled_as, host = @host, host_lifecycle = @host_lifecycle, host_pending = @host_pending, version = @version, " +
        "events = JSON_ARRAY_APPEND(COALESCE(events, '[]'), '$', JSON_EXTRACT(@event, '$'))";

    private static MySqlParameter[] MutableParameters(JobRecord job, JobEvent change) =>
    [
        P("@testbox", job.Testbox), P("@stage", job.Stage), P("@health", job.Health), P("@lease_id", job.LeaseId),
        P("@boot_time", job.BootTime), P("@running_time", job.RunningTime), P("@post_run_time", job.PostRunTime),
        P("@manual_check_time", job.ManualCheckTime), P("@renew_time", job.RenewTime), P("@finish_time", job.FinishTime),
        P("@deadline", job.Deadline), P("@crash", job.Crash), P("@cancel_requested", job.CancelRequested),
        P("@rescheduled_as", job.RescheduledAs is { } successor ? (ulong)successor : null), P("@host", job.Host),
        P("@host_lifecycle", job.HostLifecycle), P("@host_pending", job.HostPending ? 1 : null), P("@version", job.Version), P("@event", change.ToJson()),
    ];

    private static MySqlParameter P(string name, object? value) => new(name, value ?? DBNull.Value);
}
