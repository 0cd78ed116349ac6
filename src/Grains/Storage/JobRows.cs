using CompassCi.Grains.Lifecycle;
using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>The mapping between a <c>jobs</c> row and a <see cref="JobRecord"/>, in one place.</summary>
internal static class JobRows
{
    public const string Columns =
        "id, submit_time, my_account, suite, tbox_group, testbox, arch, queue_key, job_stage, job_health, " +
        "priority, memory_mb, lease_id, boot_time, version, jj, running_time, post_run_time, manual_check_time, " +
        "renew_time, finish_time, deadline, crash, cancel_requested, attempt, rescheduled_from, rescheduled_as, cluster_id, host, host_lifecycle, queued_at, result_root, all_params_md5, noted_health, lkp_vars";

    public static JobRecord Read(MySqlDataReader r) => new()
    {
        Id = r.GetId(0),
        SubmitTime = r.GetInt64(1),
        Account = r.GetString(2),
        Suite = r.GetString(3),
        TboxGroup = r.GetStringOrNull(4),
        Testbox = r.GetStringOrNull(5),
        Arch = r.GetStringOrNull(6),
        QueueKey = r.GetString(7),
        Stage = r.GetString(8),
        Health = r.GetStringOrNull(9),
        Priority = r.GetInt32(10),
        MemoryMb = r.GetInt64(11),
        LeaseId = r.GetStringOrNull(12),
        BootTime = r.GetInt64OrNull(13),
        Version = r.GetInt32(14),
        Document = r.GetString(15),
        RunningTime = r.GetInt64OrNull(16),
        PostRunTime = r.GetInt64OrNull(17),
        ManualCheckTime = r.GetInt64OrNull(18),
        RenewTime = r.GetInt64OrNull(19),
        FinishTime = r.GetInt64OrNull(20),
        Deadline = r.GetInt64OrNull(21),
        Crash = r.GetStringOrNull(22) is { } crash ? CrashReportJson.Parse(crash) : null,
        CancelRequested = r.GetBoolean(23),
        Attempt = r.GetInt32(24),
        RescheduledFrom = r.GetIdOrNull(25),
        RescheduledAs = r.GetIdOrNull(26),
        ClusterId = r.GetIdOrNull(27),
        Host = r.GetStringOrNull(28),
        HostLifecycle = r.GetStringOrNull(29),
        QueuedAt = r.GetInt64OrNull(30),
        ResultRoot = r.GetStringOrNull(31),
        AllParamsMd5 = r.GetStringOrNull(32),
        NotedHealth = r.GetStringOrNull(33),
        LkpVars = r.GetStringOrNull(34),
    };
}
