using System.Globalization;
using System.Text.RegularExpressions;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// compass-ci's per-stage deadlines (src/lib/job.cr): how long a job may stay in the stage it just entered before
/// the lifecycle driver closes it as <c>timeout</c>. Kept to compass-ci's numbers so lkp-tests jobs written for
/// compass-ci get the same time here.
/// </summary>
public static partial class StageDeadlines
{
    /// <summary>Time from hand-out to the testbox's first report: enough for a physical machine to boot.</summary>
    public const int BootSeconds = 3600;

    /// <summary>The running time assumed for a job that states neither <c>timeout</c> nor <c>runtime</c>.</summary>
    public const int DefaultRunSeconds = 3600;

    /// <summary>The least slack added to a <c>runtime</c> (or to the default), for setup and result collection.</summary>
    public const int MinRunSlackSeconds = 300;

    /// <summary>Time to upload results after the test.</summary>
    public const int PostRunSeconds = 1800;

    /// <summary>Time a person has to look at a testbox held for a manual check (10 hours).</summary>
    public const int ManualCheckSeconds = 36000;

    /// <summary>Grace for a physical testbox to reboot after its job finished, before it counts as lost.</summary>
    public const int FinishPhysicalGraceSeconds = 1200;

    /// <summary>Grace for a vm or container testbox to restart after its job finished.</summary>
    public const int FinishVirtualGraceSeconds = 60;

    /// <summary>
    /// The most one renewal may add: 30 days, the longest machine borrow compass-ci accepts (job.cr
    /// <c>check_run_time</c>). It also keeps a careless value from overflowing the date.
    /// </summary>
    public const int MaxRenewSeconds = 30 * 24 * 3600;

    /// <summary>Seconds per lkp-tests duration unit (lib/unit.rb <c>to_seconds</c>; a bare number is seconds).</summary>
    private static readonly Dictionary<string, int> SecondsPerUnit = new(StringComparer.Ordinal)
    {
        [""] = 1,
        ["s"] = 1,
        ["m"] = 60,
        ["h"] = 3600,
        ["d"] = 24 * 3600,
        ["w"] = 7 * 24 * 3600,
        ["y"] = 365 * 24 * 3600,
    };

    /// <summary>
    /// The deadline of a job that enters <paramref name="stage"/> at <paramref name="now"/>:
    /// <list type="table">
    /// <item><term>submit</term><description>none: nothing holds the job.</description></item>
    /// <item><term>boot</term><description>now + 3600 s.</description></item>
    /// <item><term>running</term><description>now + <see cref="RunningSeconds"/>.</description></item>
    /// <item><term>post_run</term><description>now + 1800 s.</description></item>
    /// <item><term>manual_check</term><description>now + 36000 s.</description></item>
    /// <item><term>renew</term><description>none of its own: the job keeps its deadline, which only <see cref="Renew"/> moves.</description></item>
    /// <item><term>finish</term><description>now + 1200 s for a physical testbox, + 60 s for a vm or container. This is the testbox's reboot grace, not a job deadline: a finished job is never timed out.</description></item>
    /// </list>
    /// </summary>
    /// <returns>The deadline, or null when the stage sets none (submit, renew).</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is not a stage: guessing would leave a job without a deadline, stuck forever.</exception>
    public static DateTimeOffset? DeadlineFor(string stage, DateTimeOffset now, JobTiming timing)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(timing);
        return stage switch
        {
            JobStages.Submit or JobStages.Renew => null,
            JobStages.Boot => now.AddSeconds(BootSeconds),
            JobStages.Running => now.AddSeconds(RunningSeconds(timing)),
            JobStages.PostRun => now.AddSeconds(PostRunSeconds),
            JobStages.ManualCheck => now.AddSeconds(ManualCheckSeconds),
            JobStages.Finish => now.AddSeconds(timing.IsPhysical ? FinishPhysicalGraceSeconds : FinishVirtualGraceSeconds),
            _ => throw new ArgumentException($"'{stage}' is not a stage; use one of {string.Join(", ", JobStages.All)}", nameof(stage)),
        };
    }

    /// <summary>
    /// How long a job may run: T + slack, where T is <c>timeout</c>, else <c>runtime</c>, else 3600 s. An explicit
    /// <c>timeout</c> is a hard limit the user chose, so it gets no slack; otherwise slack is
    /// max(T/8, 300) + √T, because a runtime is the test's own length and setup and upload come on top.
    /// Rounded up to a whole second so a job never gets less than the rule gives.
    /// </summary>
    /// <example>runtime 300, no timeout: 300 + max(37.5, 300) + √300 = 617.3… → 618 s.</example>
    public static long RunningSeconds(JobTiming timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        if (timing.TimeoutSeconds is int timeout and > 0)
        {
            return timeout;
        }

        double t = timing.RuntimeSeconds is int runtime and > 0 ? runtime : DefaultRunSeconds;
        return (long)Math.Ceiling(t + Math.Max(t / 8, MinRunSlackSeconds) + Math.Sqrt(t));
    }

    /// <summary>
    /// The deadline after renewing by <paramref name="seconds"/>: added to the current deadline, as compass-ci's
    /// <c>renew_deadline</c> does, but never to a time already past, so a late renewal still buys the full time.
    /// </summary>
    /// <param name="current">The job's deadline; null when it has none.</param>
    /// <param name="now">The time of the renewal.</param>
    /// <param name="seconds">1 to <see cref="MaxRenewSeconds"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is outside 1 to <see cref="MaxRenewSeconds"/>.</exception>
    public static DateTimeOffset Renew(DateTimeOffset? current, DateTimeOffset now, int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, MaxRenewSeconds);
        var from = current is { } deadline && deadline > now ? deadline : now;
        return from.AddSeconds(seconds);
    }

    /// <summary>
    /// Reads an lkp-tests duration as used in <c>timeout</c>, <c>runtime</c> and <c>sleep</c>: a number of seconds
    /// with an optional unit <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c> or <c>y</c> (365 days), e.g. <c>300</c>,
    /// <c>300s</c>, <c>10m</c>, <c>1h</c>, <c>2d</c>, <c>1.5h</c>. Fractions round up to a whole second.
    /// </summary>
    /// <remarks>
    /// Stricter than lkp-tests, which reads the leading digits and treats any other last letter as seconds (so its
    /// <c>1.5h</c> is 3600 and <c>10M</c> is 10): here units are lower-case, fractions count, and anything else
    /// (signs, spaces inside, exponents, upper-case or unknown units, more than <see cref="int.MaxValue"/> seconds)
    /// is rejected, so a typo is reported instead of silently becoming a few seconds.
    /// </remarks>
    /// <returns>Whether <paramref name="text"/> is a duration; <paramref name="seconds"/> is 0 when not.</returns>
    public static bool TryParseDuration(string? text, out int seconds)
    {
        seconds = 0;
        if (text is null)
        {
            return false;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success
            || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var total = Math.Ceiling(number * SecondsPerUnit[match.Groups["unit"].Value]);
        if (total > int.MaxValue)
        {
            return false;
        }

        seconds = (int)total;
        return true;
    }

    // Digits only, so NumberStyles never sees a sign, a thousands separator or an exponent. At most 20 digits
    // before the point keeps the product inside decimal's range.
    [GeneratedRegex(@"^\s*(?<number>[0-9]{1,20}(?:\.[0-9]{1,9})?)(?<unit>[smhdwy]?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
