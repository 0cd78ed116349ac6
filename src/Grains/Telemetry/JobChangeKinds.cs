using CompassCi.Grains.Jobs;

namespace CompassCi.Grains.Telemetry;

/// <summary>
/// What a job change counts as: a hand-out (submit → boot), an end (into finish, with its health), a crash (its cause
/// and whom it notifies, as words), a reschedule (it has a successor). Pure, so each rule is unit-tested.
/// </summary>
public sealed record JobChangeKinds(bool HandedOut, string? Health, (string Cause, string Notify)? Crash, bool Rescheduled)
{
    public static JobChangeKinds Of(JobChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (before, after) = (change.Before, change.After);
        var handedOut = before.Stage == JobStages.Submit && after.Stage == JobStages.Boot;
        var ended = before.Stage != JobStages.Finish && after.Stage == JobStages.Finish;
        var crash = ended && after.Crash is { } report ? (report.Cause, report.Notify) : ((string, string)?)null;
        return new JobChangeKinds(handedOut, ended ? after.Health ?? "unknown" : null, crash, change.Successor is not null);
    }
}
