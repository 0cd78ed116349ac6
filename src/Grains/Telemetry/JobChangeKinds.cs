using CompassCi.Grains.Jobs;
using CompassCi.Grains.Lifecycle;

namespace CompassCi.Grains.Telemetry;

/// <summary>
/// What a job change counts as: a hand-out (submit → boot, with the time since submit), an end (into finish, with its
/// health), a crash (its cause and whom it notifies, as words), a reschedule (it has a successor), an expiry the
/// scheduler declared itself (a boot lease that ran out, a stage deadline passed, a testbox that went silent). Pure, so
/// each rule is unit-tested.
/// </summary>
public sealed record JobChangeKinds(
    bool HandedOut,
    string? Health,
    (string Cause, string Notify)? Crash,
    bool Rescheduled,
    string? Expired = null,
    TimeSpan? SubmitToBoot = null)
{
    public static JobChangeKinds Of(JobChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (before, after) = (change.Before, change.After);
        var handedOut = before.Stage == JobStages.Submit && after.Stage == JobStages.Boot;
        var ended = before.Stage != JobStages.Finish && after.Stage == JobStages.Finish;
        var crash = ended && after.Crash is { } report ? (report.Cause, report.Notify) : ((string, string)?)null;
        return new JobChangeKinds(
            handedOut,
            ended ? after.Health ?? "unknown" : null,
            crash,
            change.Successor is not null,
            ExpiryOf(change, ended),
            handedOut && after.BootTime is { } boot ? TimeSpan.FromMilliseconds(Math.Max(0, boot - after.SubmitTime)) : null);
    }

    /// <summary>
    /// A lease that ran out returns a booting job to its queue with a <see cref="JobTransitions.LeaseExpiredEvent"/> event; a deadline or a
    /// silent testbox ends it with a crash whose <see cref="CrashReport.ReasonKey"/> the scheduler wrote itself.
    /// </summary>
    private static string? ExpiryOf(JobChange change, bool ended)
    {
        if (change.Before.Stage == JobStages.Boot && change.After.Stage == JobStages.Submit
            && change.Events.Any(e => e.Event == JobTransitions.LeaseExpiredEvent))
        {
            return JobTransitions.LeaseExpiredEvent;
        }

        return ended && change.After.Crash?.Keyvals.GetValueOrDefault(CrashReport.ReasonKey) is { } reason
            && SchedulerExpiries.Contains(reason) ? reason : null;
    }

    /// <summary>The crash reasons the scheduler writes when a job ran out of time.</summary>
    private static readonly HashSet<string> SchedulerExpiries = new(StringComparer.Ordinal)
    {
        SchedulerCrashes.DeadlineExceededReason,
        SchedulerCrashes.HeartbeatLostReason,
    };
}
