namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// The rules a held job's update request must pass before it reaches the job grain, shared by the REST endpoints
/// (<c>/stage</c>, <c>/finish</c>, <c>/renew</c>) and <see cref="IJobsGrain"/>, so both refuse alike. Each check answers
/// the message for its field (<c>stage</c>, <c>health</c>, <c>seconds</c>), or null when the value is fine.
/// </summary>
public static class JobUpdateRequests
{
    /// <summary>Why <paramref name="stage"/> is not a stage a testbox may move its job to, or null.</summary>
    public static string? StageError(string stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (!JobStages.All.Contains(stage))
        {
            return $"'{stage}' is not a stage; use one of {string.Join(", ", JobStages.All)}";
        }

        if (stage == JobStages.Finish)
        {
            return "a job ends through POST /api/v1/jobs/{id}/finish, which records its health";
        }

        // boot: the dispatcher's move alone; a client asking for it would leave a job held by no testbox.
        return StageTransitions.Entering(stage, StageMover.Holder) is { IsAllowed: false } notTheirs ? notTheirs.Reason : null;
    }

    /// <summary>Why <paramref name="health"/> is neither a health nor an lkp-tests job_state word, or null.</summary>
    public static string? HealthError(string health) =>
        JobHealth.IsKnown(health) || JobHealth.FromJobState(health) is not null
            ? null
            : $"'{health}' is not a health; use one of {string.Join(", ", JobHealth.All)}";

    /// <summary>
    /// The health <paramref name="health"/> (already checked) stands for: lkp-tests words ("finished", "OOM") map onto
    /// healths, as compass-ci does.
    /// </summary>
    public static string NormaliseHealth(string health) => JobHealth.IsKnown(health) ? health : JobHealth.FromJobState(health)!;

    /// <summary>The crash report to record: the one given, or for a crash without one, <see cref="CrashReport.Unknown"/>.</summary>
    public static CrashReport? CrashFor(string normalisedHealth, CrashReport? given) =>
        given ?? (normalisedHealth == JobHealth.Crash ? CrashReport.Unknown : null);

    /// <summary>The message for a renew's <c>seconds</c> out of range.</summary>
    public static string SecondsMessage => $"must be a whole number of seconds from 1 to {StageDeadlines.MaxRenewSeconds}";

    /// <summary>True when a renew may ask for <paramref name="seconds"/>.</summary>
    public static bool SecondsAllowed(int seconds) => seconds >= 1 && seconds <= StageDeadlines.MaxRenewSeconds;
}
