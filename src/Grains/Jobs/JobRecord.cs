namespace CompassCi.Grains.Jobs;

/// <summary>
/// One row of the <c>jobs</c> table: the single truth about a job. The grain's state is exactly this. Internal to the
/// silo; clients see <see cref="JobView"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobRecord
{
    /// <summary>Server-assigned id (a decimal string on the wire, BIGINT in the table).</summary>
    [Id(0)] public required long Id { get; init; }

    /// <summary>Unix milliseconds when the job was accepted.</summary>
    [Id(1)] public required long SubmitTime { get; init; }

    /// <summary>Owner account.</summary>
    [Id(2)] public required string Account { get; init; }

    /// <summary>lkp-tests suite.</summary>
    [Id(3)] public required string Suite { get; init; }

    /// <summary>Requested tbox_group (derived from testbox when absent).</summary>
    [Id(4)] public string? TboxGroup { get; init; }

    /// <summary>Requested testbox before dispatch; the testbox holding it after.</summary>
    [Id(5)] public string? Testbox { get; init; }

    /// <summary>Requested architecture.</summary>
    [Id(6)] public string? Arch { get; init; }

    /// <summary>Canonical requirement key: sorted <c>k=v,k=v</c>; names the job's queue.</summary>
    [Id(7)] public required string QueueKey { get; init; }

    /// <summary>Stage, one of <see cref="JobStages"/>.</summary>
    [Id(8)] public required string Stage { get; init; }

    /// <summary>Outcome once ended; null before.</summary>
    [Id(9)] public string? Health { get; init; }

    /// <summary>Higher runs first.</summary>
    [Id(10)] public required int Priority { get; init; }

    /// <summary>Memory the job needs, in MiB.</summary>
    [Id(11)] public required long MemoryMb { get; init; }

    /// <summary>The consume request that holds the job; lets a testbox that lost the answer ask again.</summary>
    [Id(12)] public string? LeaseId { get; init; }

    /// <summary>Unix milliseconds of the hand-out to a testbox.</summary>
    [Id(13)] public long? BootTime { get; init; }

    /// <summary>Optimistic-concurrency counter; every write must name the version it read.</summary>
    [Id(14)] public required int Version { get; init; }

    /// <summary>The whole submitted document as JSON (column <c>jj</c>), unknown keys included.</summary>
    [Id(15)] public required string Document { get; init; }

    /// <summary>Unix milliseconds the job entered <c>running</c>.</summary>
    [Id(16)] public long? RunningTime { get; init; }

    /// <summary>Unix milliseconds the job entered <c>post_run</c>.</summary>
    [Id(17)] public long? PostRunTime { get; init; }

    /// <summary>Unix milliseconds the job last entered <c>manual_check</c>.</summary>
    [Id(18)] public long? ManualCheckTime { get; init; }

    /// <summary>Unix milliseconds the job last entered <c>renew</c>.</summary>
    [Id(19)] public long? RenewTime { get; init; }

    /// <summary>Unix milliseconds the job ended.</summary>
    [Id(20)] public long? FinishTime { get; init; }

    /// <summary>Unix milliseconds by which the current stage must end; null when none applies.</summary>
    [Id(21)] public long? Deadline { get; init; }

    /// <summary>The crash classification, when the job crashed.</summary>
    [Id(22)] public CrashReport? Crash { get; init; }

    /// <summary>The job was cancelled while a testbox held it: the testbox must abort.</summary>
    [Id(23)] public bool CancelRequested { get; init; }

    /// <summary>Which attempt at the work this job is: 1 for a submitted job, n + 1 for the reschedule of attempt n.</summary>
    [Id(24)] public int Attempt { get; init; } = 1;

    /// <summary>The crashed attempt this job replaces, if it is a reschedule.</summary>
    [Id(25)] public long? RescheduledFrom { get; init; }

    /// <summary>The attempt that replaced this job after it crashed, if it was rescheduled.</summary>
    [Id(26)] public long? RescheduledAs { get; init; }

    /// <summary>The multi-node cluster this job is one node of (its first node's id); null for a single-node job.</summary>
    [Id(27)] public long? ClusterId { get; init; }

    /// <summary>The machine the job ran on (the holder testbox's host); set with the assignment.</summary>
    [Id(28)] public string? Host { get; init; }

    /// <summary>When ended: the other jobs that touched its host since the host's last wipe (see docs/host-lifecycle.md).</summary>
    [Id(29)] public string? HostLifecycle { get; init; }

    /// <summary>Unix milliseconds the job last became pending: its submit, or its latest return to its queue.</summary>
    [Id(30)] public long? QueuedAt { get; init; }

    /// <summary>Where its testbox uploads its results (<c>/result/…</c>, compass-ci's result_root); also in the document.</summary>
    [Id(31)] public string? ResultRoot { get; init; }

    /// <summary>compass-ci's "same test" digest (md5 of the flattened pp and the os fields); also in the document.</summary>
    [Id(32)] public string? AllParamsMd5 { get; init; }

    /// <summary>
    /// The health the testbox's last lkp finish word stood for (<c>job_state=finished</c> → success, <c>failed</c>, …):
    /// noted while the job runs on, and made its health when it ends at <c>lkp-post-run</c> (unless that call names one).
    /// </summary>
    [Id(33)] public string? NotedHealth { get; init; }

    /// <summary>What an lkp testbox appended to the job (job_state, start_time, end_time, loadavg, ssh_port, …), as a JSON object; null when nothing.</summary>
    [Id(34)] public string? LkpVars { get; init; }
}
