using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Lifecycle;

/// <summary>Configuration of <see cref="ReschedulePolicy"/> (section <c>CompassCi:Reschedule</c>).</summary>
public sealed class ReschedulePolicyOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Reschedule";

    /// <summary>The default number of attempts a job gets in all (the first run included); 0 turns rescheduling off. Default 3.</summary>
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

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(MaxAttempts), MaxAttempts, 0, Lifecycle.MaxAttempts.Limit),
        .. RescheduleByCause.Keys
            .Where(cause => !CrashCause.All.Contains(cause, StringComparer.Ordinal))
            .Select(cause => $"{Section}:{nameof(RescheduleByCause)}:{cause} names no cause; use {string.Join(", ", CrashCause.All)}"),
    ];
}
