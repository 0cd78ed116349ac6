namespace CompassCi.Grains.Lifecycle;

/// <summary>Configuration of <see cref="ReschedulePolicy"/>.</summary>
public sealed class ReschedulePolicyOptions
{
    /// <summary>The default number of attempts a job gets in all (the first run included); 0 turns rescheduling off.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Whether a non-fatal crash with each cause is rescheduled. By default everything is except <c>task</c>: a job
    /// that breaks itself breaks again. A cause missing here is treated as that default, so an override of one
    /// cause does not have to repeat the rest.
    /// </summary>
    public Dictionary<string, bool> RescheduleByCause { get; set; } = new(StringComparer.Ordinal)
    {
        [CrashCause.Testbox] = true,
        [CrashCause.Task] = false,
        [CrashCause.Network] = true,
        [CrashCause.Scheduler] = true,
        [CrashCause.Unknown] = true,
    };
}
