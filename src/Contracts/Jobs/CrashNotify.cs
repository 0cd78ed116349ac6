namespace CompassCi.Contracts.Jobs;

/// <summary>
/// Who must hear about a crash (the <c>crash.notify</c> field). Split from the cause, as Taskotron's ExecDB does,
/// because who fixes a crash and what went wrong are separate questions: a network cause is the lab's to fix, a
/// failing install in the job's own setup is the task author's.
/// </summary>
public static class CrashNotify
{
    /// <summary>The lab's operators: machines, network, power.</summary>
    public const string Lab = "lab";

    /// <summary>The job's author: the test or its setup is broken.</summary>
    public const string Task = "task";

    /// <summary>The scheduler's maintainers: the scheduler itself misbehaved.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>Nobody knows yet; such crashes are the ones worth looking at, so they are counted apart.</summary>
    public const string Unknown = "unknown";

    /// <summary>Every value, in the order error messages list them.</summary>
    public static readonly IReadOnlyList<string> All = [Lab, Task, Scheduler, Unknown];
}
