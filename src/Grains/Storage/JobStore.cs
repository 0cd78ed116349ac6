using System.Globalization;
using System.Text.Json.Nodes;
using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of the <c>jobs</c> table: every write to it, and the reads the job's own grain and the queues need.
/// Writes share commits (see <see cref="GroupCommitter"/>); point reads share queries (see <see cref="BatchedJobReader"/>).
/// A job write also carries, in the same transaction, what must happen because of it: its effects (the outbox), the
/// attempt that replaces a crashed job, a submit key.
/// </summary>
public sealed class JobStore : IAsyncDisposable
{
    /// <summary>Session variable holding whether a job's conditional update matched, for the statements that depend on it.</summary>
    internal const string Written = "@job_written";

    private readonly MySqlDataSource _dataSource;
    private readonly GroupCommitter _committer;
    private readonly BatchedJobReader _reader;

    /// <summary>Folded reads under way at once: reads take no commit, and a job grain's activation waits on one.</summary>
    private const int ConcurrentReads = 4;

    public JobStore(MySqlDataSource dataSource, GroupCommitter committer)
    {
        _dataSource = dataSource;
        _committer = committer;
        _reader = new BatchedJobReader(dataSource, ConcurrentReads);
    }

    /// <summary>
    /// Stores a new job, and its submit key when it has one, in one transaction. False when the id or the submit key is
    /// taken (nothing is written then); the submitter tells the two apart.
    /// </summary>
    public async Task<bool> InsertAsync(JobRecord job, SubmitKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (key is null)
        {
            // Alone, the job is one row: it shares a multi-row insert with the other new jobs of its commit.
            return await InsertDecidedAsync(() => _committer.InsertAsync(new RowInsert(InsertHead, prefix => RowValues(job, prefix))), job);
        }

        List<SqlStatement> statements = [SubmitKeyStore.Insert(key, job.Id, job.SubmitTime), InsertJob(job, "VALUES")];
        return await InsertDecidedAsync(statements, job);
    }

    /// <summary>
    /// Stores the node jobs of a cluster, its barrier row and its submit key in one transaction: a cluster exists whole
    /// or not at all, so no node can be dispatched for a cluster that was never recorded. False when an id or the
    /// submit key is taken.
    /// </summary>
    public async Task<bool> InsertClusterAsync(IReadOnlyList<JobRecord> nodeJobs, SqlStatement barrier, SubmitKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(nodeJobs);
        List<SqlStatement> statements = [];
        if (key is not null)
        {
            statements.Add(SubmitKeyStore.Insert(key, nodeJobs[0].Id, nodeJobs[0].SubmitTime));
        }

        statements.AddRange(nodeJobs.Select(job => InsertJob(job, "VALUES")));
        statements.Add(barrier);
        return await InsertDecidedAsync(statements, nodeJobs[0]);
    }

    /// <summary>
    /// Runs an insert transaction whose first job is <paramref name="first"/>. When it reports nothing inserted, or its
    /// outcome is unknown (the answer was lost with its connection), the row decides: the job stored with this submit
    /// time and document is this insert's own, whose answer was lost; otherwise the id was taken (false), or the error
    /// stands.
    /// </summary>
    private Task<bool> InsertDecidedAsync(List<SqlStatement> statements, JobRecord first) =>
        InsertDecidedAsync(() => _committer.WriteAsync(statements, JobWrite.RowCount), first);

    private async Task<bool> InsertDecidedAsync(Func<Task<int>> insert, JobRecord first)
    {
        Exception? unknown = null;
        try
        {
            if (await insert() == 1)
            {
                return true;
            }
        }
        catch (Exception error)
        {
            unknown = error;
        }

        var existing = await GetAsync(first.Id);
        if (existing is not null && existing.SubmitTime == first.SubmitTime && existing.Document == first.Document)
        {
            return true;
        }

        if (unknown is not null && existing is null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unknown);
        }

        return false;
    }

    /// <summary>
    /// Writes a change of a job if its row still has the version the change was computed from, together with its
    /// effects and its successor; none of them is written when the row moved (false: the caller reloads and decides
    /// again). A positive <paramref name="fenceAttempt"/> also requires the latest attempt of the consume request that
    /// leases the job (the lease id before the change, or after it for an assignment) to be that one (see
    /// <see cref="ConsumeRequestStore"/>).
    /// </summary>
    public async Task<bool> ApplyAsync(JobChange change, long nowMillis, int fenceAttempt = 0)
    {
        ArgumentNullException.ThrowIfNull(change);
        var job = change.After;
        var fence = fenceAttempt > 0 ? " AND " + ConsumeRequestStore.FenceCondition : "";
        // Each entry carries the state the change leaves the job in, for watchers (see Watch.HistoryStamp).
        var entries = Watch.HistoryStamp.Stamp(change.Events, job);
        var update = new SqlStatement(
            $"UPDATE jobs SET {MutableColumns}, events = {AppendEvents(entries.Count)}{ChangedAt(entries.Count)} WHERE id = @id AND version = @expected{fence}",
            [.. MutableParameters(job), .. EventParameters(entries), Id("@id", job.Id), P("@expected", change.Before.Version),
             .. ConsumeRequestStore.FenceParameters(change, fenceAttempt)]);
        if (change.Effects.Count == 0 && change.Successor is null)
        {
            return await _committer.WriteAsync(update) == 1;
        }

        // What depends on the update is written only when the update matched: one transaction, one answer.
        List<SqlStatement> statements = [update, new SqlStatement($"SET {Written} = ROW_COUNT()")];
        if (change.Successor is { } successor)
        {
            statements.Add(InsertJob(successor, $"SELECT", $" FROM DUAL WHERE {Written} = 1", prefix: "s_"));
        }

        if (change.Effects.Count > 0)
        {
            statements.Add(JobEffectStore.InsertIfWritten(job.Id, job.Version, change.Effects, nowMillis));
        }

        return await _committer.WriteAsync(statements, $"SELECT {Written}") == 1;
    }

    /// <summary>The job with this id, or null.</summary>
    public Task<JobRecord?> GetAsync(long id) => _reader.GetAsync(id);

    /// <summary>The job a testbox holds under a given consume request, if any.</summary>
    public Task<JobRecord?> FindByLeaseAsync(string testbox, string leaseId) =>
        _dataSource.FirstOrDefaultAsync(
            new SqlStatement($"SELECT {JobRows.Columns} FROM jobs WHERE testbox = @testbox AND lease_id = @lease_id LIMIT 1", P("@testbox", testbox), P("@lease_id", leaseId)),
            JobRows.Read);

    /// <summary>Every node job of a cluster, in node order (the first node's id is the cluster id, and ids grow).</summary>
    public Task<List<JobRecord>> ListClusterAsync(long clusterId) =>
        _dataSource.QueryAsync(new SqlStatement($"SELECT {JobRows.Columns} FROM jobs WHERE cluster_id = @id ORDER BY id", Id("@id", clusterId)), JobRows.Read);

    /// <summary>
    /// The pending jobs of one queue; with <paramref name="queuedSince"/>, only those that became pending (were submitted
    /// or returned to the queue) at or after it.
    /// </summary>
    public Task<List<PendingJob>> ListPendingAsync(string queueKey, long? queuedSince = null) =>
        _dataSource.QueryAsync(
            new SqlStatement(
                "SELECT id, priority, submit_time, memory_mb, my_account FROM jobs WHERE queue_key = @queue_key AND job_stage = 'submit'" +
                (queuedSince is null ? "" : " AND queued_at >= @since"),
                P("@queue_key", queueKey), P("@since", queuedSince)),
            r => new PendingJob(r.GetId(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3), string.Intern(r.GetString(4))));

    /// <summary>Every queue key that has a pending job: what the queue directory starts from.</summary>
    public Task<List<string>> ListPendingQueueKeysAsync() =>
        _dataSource.QueryAsync(new SqlStatement("SELECT DISTINCT queue_key FROM jobs WHERE job_stage = 'submit'"), r => r.GetString(0));

    /// <summary>Ids of active jobs whose deadline is before <paramref name="nowMillis"/>, oldest deadline first.</summary>
    public Task<List<long>> ListOverdueAsync(long nowMillis, int limit) =>
        _dataSource.IdsAsync(new SqlStatement(
            $"SELECT id FROM jobs WHERE job_stage IN {SqlLists.ActiveStages} AND deadline < @now ORDER BY deadline LIMIT {SqlLists.Limit(limit)}",
            P("@now", nowMillis)));

    /// <summary>The job's history, oldest first, as a JSON array; null when there is no such job.</summary>
    public Task<string?> GetEventsAsync(long id) =>
        _dataSource.TextAsync(new SqlStatement("SELECT COALESCE(events, '[]') FROM jobs WHERE id = @id", Id("@id", id)));

    /// <summary>True when the database answers.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.LongAsync(new SqlStatement("SELECT 1"), cancellationToken) == 1;
        }
        catch (MySqlException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private const string InsertColumns =
        "id, submit_time, my_account, suite, tbox_group, testbox, arch, queue_key, job_stage, job_health, priority, memory_mb, " +
        "lease_id, boot_time, version, jj, attempt, rescheduled_from, cluster_id, queued_at, result_root, all_params_md5, events, changed_at, growth_room";

    /// <summary>The parameters of <see cref="InsertColumns"/>, in order; the first event is made a one-element history.</summary>
    private static readonly string InsertValues = InsertValuesWith("");

    private static string InsertValuesWith(string prefix) =>
        string.Join(", ", InsertColumns.Split(", ").Select(n => n switch
        {
            "events" => $"JSON_ARRAY(JSON_EXTRACT(@{prefix}events, '$'))",
            // The history's one entry is the submit.
            "changed_at" => $"@{prefix}submit_time",
            "growth_room" => GrowthRoom,
            _ => $"@{prefix}{n}",
        }));

    /// <summary>
    /// The padding a new row carries until its first change sets it to NULL (migration 0028): what that change (a claim:
    /// testbox, host, lease, boot time, deadline and a history entry naming them) usually adds, so the row does not
    /// grow and InnoDB updates it where it lies instead of reorganizing its page. Sized for names of ~40 characters; a
    /// change that grows more is just as correct, only dearer.
    /// </summary>
    private const string GrowthRoom = "REPEAT(' ', 320)";

    /// <summary>
    /// An insert of a new job's row, with its <c>submitted</c> event. <paramref name="form"/> is <c>VALUES</c> for a plain
    /// insert or <c>SELECT</c> (with a <paramref name="condition"/>) for one that depends on an earlier statement;
    /// <paramref name="prefix"/> keeps its parameters apart from another job's in the same transaction.
    /// </summary>
    private static SqlStatement InsertJob(JobRecord job, string form, string condition = "", string prefix = "")
    {
        var values = prefix.Length == 0 ? InsertValues : InsertValuesWith(prefix);
        var sql = form == "VALUES"
            ? $"{InsertHead}({values})"
            : $"INSERT INTO jobs ({InsertColumns}) SELECT {values}{condition}";
        return new SqlStatement(sql, InsertParameters(job, prefix));
    }

    /// <summary>What every multi-row insert of new jobs starts with; the rows follow (see <see cref="RowValues"/>).</summary>
    private static readonly string InsertHead = $"INSERT INTO jobs ({InsertColumns}) VALUES ";

    /// <summary>A new job's row, <c>(…)</c>, its parameters named with <paramref name="prefix"/>.</summary>
    private static (string Values, MySqlParameter[] Parameters) RowValues(JobRecord job, string prefix) =>
        (RowTexts.GetOrAdd(prefix, p => $"({InsertValuesWith(p)})"), InsertParameters(job, prefix));

    /// <summary>A row's text by prefix: the same few hundred prefixes come back in every commit.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> RowTexts = new(StringComparer.Ordinal);

    private static MySqlParameter[] InsertParameters(JobRecord job, string prefix)
    {
        var submitted = job.RescheduledFrom is { } original
            ? new JsonObject { ["rescheduled_from"] = original.ToString(CultureInfo.InvariantCulture), ["attempt"] = job.Attempt }
            : null;
        MySqlParameter Q(string name, object? value) => P($"@{prefix}{name}", value);
        return
        [
            Q("id", (ulong)job.Id), Q("submit_time", job.SubmitTime), Q("my_account", job.Account), Q("suite", job.Suite),
            Q("tbox_group", job.TboxGroup), Q("testbox", job.Testbox), Q("arch", job.Arch), Q("queue_key", job.QueueKey),
            Q("job_stage", job.Stage), Q("job_health", job.Health), Q("priority", job.Priority), Q("memory_mb", job.MemoryMb),
            Q("lease_id", job.LeaseId), Q("boot_time", job.BootTime), Q("version", job.Version), Q("jj", job.Document),
            Q("attempt", job.Attempt), Q("rescheduled_from", job.RescheduledFrom is { } from ? (ulong)from : null),
            Q("cluster_id", job.ClusterId is { } cluster ? (ulong)cluster : null), Q("queued_at", job.QueuedAt ?? job.SubmitTime),
            Q("result_root", job.ResultRoot), Q("all_params_md5", job.AllParamsMd5),
            Q("events", Watch.HistoryStamp.Stamp(new JobHistoryEntry(job.SubmitTime, "submitted", submitted), job.Stage, job.Health).ToJson()),
        ];
    }

    /// <summary>Every column a job's life changes.</summary>
    private const string MutableColumns =
        "testbox = @testbox, job_stage = @stage, job_health = @health, lease_id = @lease_id, boot_time = @boot_time, " +
        "running_time = @running_time, post_run_time = @post_run_time, manual_check_time = @manual_check_time, " +
        "renew_time = @renew_time, finish_time = @finish_time, deadline = @deadline, crash = @crash, " +
        "cancel_requested = @cancel_requested, rescheduled_as = @rescheduled_as, host = @host, host_lifecycle = @host_lifecycle, queued_at = @queued_at, version = @version, " +
        "noted_health = @noted_health, lkp_vars = @lkp_vars, " + ReleaseGrowthRoom;

    /// <summary>A job's changes (the batched claim, and every change through its grain) give up the room its insert reserved (see <see cref="GrowthRoom"/>).</summary>
    internal const string ReleaseGrowthRoom = "growth_room = NULL";

    private static MySqlParameter[] MutableParameters(JobRecord job) =>
    [
        P("@testbox", job.Testbox), P("@stage", job.Stage), P("@health", job.Health), P("@lease_id", job.LeaseId),
        P("@boot_time", job.BootTime), P("@running_time", job.RunningTime), P("@post_run_time", job.PostRunTime),
        P("@manual_check_time", job.ManualCheckTime), P("@renew_time", job.RenewTime), P("@finish_time", job.FinishTime),
        P("@deadline", job.Deadline), P("@crash", job.Crash is { } crash ? Lifecycle.CrashReportJson.ToJson(crash).ToJsonString() : null),
        P("@cancel_requested", job.CancelRequested), Id("@rescheduled_as", job.RescheduledAs), P("@host", job.Host),
        P("@host_lifecycle", job.HostLifecycle), P("@queued_at", job.QueuedAt), P("@version", job.Version),
        P("@noted_health", job.NotedHealth), P("@lkp_vars", job.LkpVars),
    ];

    /// <summary>The history with the change's events appended, in order.</summary>
    internal static string AppendEvents(int count) => count == 1 ? AppendOneEvent : AppendEventsText(count);

    /// <summary>Nearly every change appends one event: its text is made once.</summary>
    private static readonly string AppendOneEvent = AppendEventsText(1);

    private static string AppendEventsText(int count) => count == 0
        ? "events"
        : "JSON_ARRAY_APPEND(COALESCE(events, '[]')" + string.Concat(Enumerable.Range(0, count).Select(i => $", '$', JSON_EXTRACT(@event{i}, '$')")) + ")";

    internal static IEnumerable<MySqlParameter> EventParameters(IReadOnlyList<JobHistoryEntry> events) =>
        [.. events.Select((e, i) => P($"@event{i}", e.ToJson())), P("@changed_at", events.Count == 0 ? null : events.Max(e => e.Time))];

    /// <summary>
    /// The assignment that moves <c>changed_at</c> to the newest appended entry's time (never back: entries are stamped
    /// on different silos' clocks); empty when nothing is appended. Goes with <see cref="EventParameters"/>.
    /// </summary>
    internal static string ChangedAt(int count) => count == 0 ? "" : ", changed_at = GREATEST(COALESCE(changed_at, 0), @changed_at)";
}
