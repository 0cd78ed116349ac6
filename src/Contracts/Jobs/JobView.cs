namespace CompassCi.Contracts.Jobs;

/// <summary>
/// A job as a client sees it: what the scheduler knows of it now, and the document as submitted. The same facts the
/// REST API's job JSON carries, typed. Times are UTC.
/// </summary>
[GenerateSerializer, Immutable, Alias("CompassCi.JobView.v1")]
public sealed record JobView
{
    /// <summary>The job's id (a decimal string, as on the wire).</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>One of <see cref="JobStages"/>.</summary>
    [Id(1)] public required string Stage { get; init; }

    /// <summary>How the job ended (<see cref="JobHealth"/>); null before it ends.</summary>
    [Id(2)] public string? Health { get; init; }

    /// <summary>The account that submitted it.</summary>
    [Id(3)] public required string Account { get; init; }

    /// <summary>The lkp-tests suite.</summary>
    [Id(4)] public required string Suite { get; init; }

    /// <summary>The testbox group it asks for.</summary>
    [Id(5)] public string? TboxGroup { get; init; }

    /// <summary>The testbox it asks for while pending; the testbox holding it after.</summary>
    [Id(6)] public string? Testbox { get; init; }

    /// <summary>Its requirement tags as a canonical <c>k=v,k=v</c> key; jobs with the same key share a queue.</summary>
    [Id(7)] public required string QueueKey { get; init; }

    /// <summary>0–9, higher runs first.</summary>
    [Id(8)] public int Priority { get; init; }

    /// <summary>When it was accepted.</summary>
    [Id(9)] public DateTimeOffset SubmitTime { get; init; }

    /// <summary>When a testbox took it.</summary>
    [Id(10)] public DateTimeOffset? BootTime { get; init; }

    /// <summary>When it started running.</summary>
    [Id(11)] public DateTimeOffset? RunningTime { get; init; }

    /// <summary>When it ended.</summary>
    [Id(12)] public DateTimeOffset? FinishTime { get; init; }

    /// <summary>By when its current stage must end; null when none applies.</summary>
    [Id(13)] public DateTimeOffset? Deadline { get; init; }

    /// <summary>The crash classification, when it crashed.</summary>
    [Id(14)] public CrashReport? Crash { get; init; }

    /// <summary>It was cancelled while a testbox held it: the testbox must abort.</summary>
    [Id(15)] public bool AbortRequested { get; init; }

    /// <summary>Which attempt at the work this is: 1, or n + 1 for the reschedule of a crashed attempt n.</summary>
    [Id(16)] public int Attempt { get; init; } = 1;

    /// <summary>The crashed attempt this job replaces.</summary>
    [Id(17)] public string? RescheduledFrom { get; init; }

    /// <summary>The attempt that replaced this one after it crashed.</summary>
    [Id(18)] public string? RescheduledAs { get; init; }

    /// <summary>The multi-node cluster it is a node of (its first node's id).</summary>
    [Id(19)] public string? ClusterId { get; init; }

    /// <summary>The machine it ran on.</summary>
    [Id(20)] public string? Host { get; init; }

    /// <summary>The <c>submit_id</c> it was submitted with, if any.</summary>
    [Id(21)] public string? SubmitId { get; init; }

    /// <summary>The job document as stored: every field submitted (unknown ones included), as JSON.</summary>
    [Id(22)] public required string Document { get; init; }
}
