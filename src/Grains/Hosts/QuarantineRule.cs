using CompassCi.Grains.Lifecycle;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// When to take a host out of service, and whom to blame. A testbox crash now and then is bad luck; the same
/// host crashing job after job is broken, and handing it more jobs only crashes those too. Like osstest, the
/// jobs that ran on the host since its last wipe and before the failures began are the suspects: one of them may
/// have left it broken.
/// </summary>
public static class QuarantineRule
{
    /// <summary>
    /// True when the newest <paramref name="consecutive"/> ended jobs on the host all crashed with cause
    /// <see cref="CrashCause.Testbox"/>. Jobs still running (no end time) are skipped. False when fewer jobs have
    /// ended or <paramref name="consecutive"/> is below 1, so a threshold of 0 turns quarantine off.
    /// </summary>
    /// <param name="endedNewestFirst">
    /// The host's jobs, newest end time first. They are put in that order again (stably) before counting, so a
    /// caller's ordering mistake cannot quarantine a host on old crashes.
    /// </param>
    /// <param name="consecutive">How many testbox crashes in a row quarantine the host.</param>
    public static bool ShouldQuarantine(IReadOnlyList<HostJob> endedNewestFirst, int consecutive)
    {
        ArgumentNullException.ThrowIfNull(endedNewestFirst);
        if (consecutive < 1)
        {
            return false;
        }

        var newest = endedNewestFirst
            .Where(job => job.EndTime is not null)
            .OrderByDescending(job => job.EndTime)
            .Take(consecutive)
            .ToList();
        return newest.Count == consecutive && newest.All(job => job.CrashCause == CrashCause.Testbox);
    }

    /// <summary>
    /// The jobs that may have broken the host: those in <paramref name="touchedSinceWipe"/> that started before
    /// the earliest-starting of <paramref name="failures"/>, not counting the failures themselves, by start time
    /// then id, each id once. Empty when there are no failures, since then there is nothing to explain.
    /// </summary>
    /// <param name="touchedSinceWipe">Every job on the host since its last wipe, in any order.</param>
    /// <param name="failures">The failures to explain, normally the crashes that quarantined the host.</param>
    public static IReadOnlyList<HostJob> Suspects(IReadOnlyList<HostJob> touchedSinceWipe, IReadOnlyList<HostJob> failures)
    {
        ArgumentNullException.ThrowIfNull(touchedSinceWipe);
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
        {
            return [];
        }

        var firstFailure = failures.Min(failure => failure.StartTime);
        var failed = failures.Select(failure => failure.JobId).ToHashSet();
        return touchedSinceWipe
            .Where(job => job.StartTime < firstFailure && !failed.Contains(job.JobId))
            .OrderBy(job => job.StartTime)
            .ThenBy(job => job.JobId)
            .DistinctBy(job => job.JobId)
            .ToList();
    }
}
