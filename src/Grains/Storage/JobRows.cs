using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>The mapping between a <c>jobs</c> row and a <see cref="JobRecord"/>, in one place.</summary>
internal static class JobRows
{
    /// <summary>The stages of a job a testbox holds, as an SQL list: what leases, deadlines and the registry look at.</summary>
    public const string ActiveStages = "('boot', 'running', 'post_run', 'manual_check', 'renew')";

    public const string Columns =
        "id, submit_time, my_account, suite, tbox_group, testbox, arch, queue_key, job_stage, job_health, " +
        "priority, memory_mb, lease_id, boot_time, version, jj, running_time, post_run_time, manual_check_time, " +
        "renew_time, finish_time, deadline, crash, cancel_requested, attempt, rescheduled_from, rescheduled_as, cluster_id, host, host_lifecycle, host_pending";

    public static JobRecord Read(MySqlDataReader r) => new()
    {
        Id = (long)r.GetUInt64(0),
        SubmitTime = r.GetInt64(1),
        Account = r.GetString(2),
        Suite = r.GetString(3),
        TboxGroup = r.IsDBNull(4) ? null : r.GetString(4),
        Testbox = r.IsDBNull(5) ? null : r.GetString(5),
        Arch = r.IsDBNull(6) ? null : r.GetString(6),
        QueueKey = r.GetString(7),
        Stage = r.GetString(8),
        Health = r.IsDBNull(9) ? null : r.GetString(9),
        Priority = r.GetInt32(10),
        MemoryMb = r.GetInt64(11),
        LeaseId = r.IsDBNull(12) ? null : r.GetString(12),
        BootTime = r.IsDBNull(13) ? null : r.GetInt64(13),
        Version = r.GetInt32(14),
        Document = r.GetString(15),
        RunningTime = r.IsDBNull(16) ? null : r.GetInt64(16),
        PostRunTime = r.IsDBNull(17) ? null : r.GetInt64(17),
        ManualCheckTime = r.IsDBNull(18) ? null : r.GetInt64(18),
        RenewTime = r.IsDBNull(19) ? null : r.GetInt64(19),
        FinishTime = r.IsDBNull(20) ? null : r.GetInt64(20),
        Deadline = r.IsDBNull(21) ? null : r.GetInt64(21),
        Crash = r.IsDBNull(22) ? null : r.GetString(22),
        CancelRequested = r.GetBoolean(23),
        Attempt = r.GetInt32(24),
        RescheduledFrom = r.IsDBNull(25) ? null : (long)r.GetUInt64(25),
        RescheduledAs = r.IsDBNull(26) ? null : (long)r.GetUInt64(26),
        ClusterId = r.IsDBNull(27) ? null : (long)r.GetUInt64(27),
        Host = r.IsDBNull(28) ? null : r.GetString(28),
        HostLifecycle = r.IsDBNull(29) ? null : r.GetString(29),
        HostPending = !r.IsDBNull(30) && r.GetInt32(30) == 1,
    };
}
