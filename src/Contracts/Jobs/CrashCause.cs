namespace CompassCi.Contracts.Jobs;

/// <summary>
/// What went wrong in a crash (the <c>crash.cause</c> field). A short closed list, so rescheduling can decide on it
/// (the scheduler's reschedule policy); details go in the crash's keyvals instead of new causes.
/// </summary>
public static class CrashCause
{
    /// <summary>The testbox failed: hung, lost power, stopped heartbeating, broken disk.</summary>
    public const string Testbox = "testbox";

    /// <summary>The job itself failed to run: bad script, missing package it asked for. Retrying will not help.</summary>
    public const string Task = "task";

    /// <summary>The network or a service across it failed: download, mirror, result upload.</summary>
    public const string Network = "network";

    /// <summary>The scheduler failed the job.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>Not known.</summary>
    public const string Unknown = "unknown";

    /// <summary>Every value, in the order error messages list them.</summary>
    public static readonly IReadOnlyList<string> All = [Testbox, Task, Network, Scheduler, Unknown];
}
