using System.Globalization;

namespace CompassCi.Grains.Lifecycle;

/// <summary>The crash classifications the scheduler makes itself, when it sees a job fail rather than being told.</summary>
public static class SchedulerCrashes
{
    /// <summary>The <see cref="CrashReport.ReasonKey"/> of <see cref="HeartbeatLost"/>.</summary>
    public const string HeartbeatLostReason = "heartbeat_lost";

    /// <summary>The <see cref="CrashReport.ReasonKey"/> of <see cref="DeadlineExceeded"/>.</summary>
    public const string DeadlineExceededReason = "deadline_exceeded";

    /// <summary>
    /// A testbox holding a job stopped heartbeating: the box is at fault and the lab must look at it; not fatal,
    /// since the job may well pass on another box.
    /// </summary>
    /// <param name="testbox">The silent testbox.</param>
    /// <param name="silentSeconds">How long it had been silent when the crash was declared.</param>
    public static CrashReport HeartbeatLost(string testbox, long silentSeconds)
    {
        ArgumentNullException.ThrowIfNull(testbox);
        return new CrashReport(CrashNotify.Lab, CrashCause.Testbox, false, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CrashReport.ReasonKey] = HeartbeatLostReason,
            ["testbox"] = testbox,
            ["silent_seconds"] = silentSeconds.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// A confirmed job overran its stage deadline. The testbox is known to be alive by then (a silent one is caught
    /// by heartbeats first), so the job itself is the likeliest cause and another attempt would likely overrun too.
    /// </summary>
    /// <param name="stage">The stage that overran.</param>
    /// <param name="deadline">The deadline it passed, unix milliseconds.</param>
    public static CrashReport DeadlineExceeded(string stage, long deadline) =>
        new(CrashNotify.Task, CrashCause.Task, false, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CrashReport.ReasonKey] = DeadlineExceededReason,
            ["stage"] = stage,
            ["deadline"] = DateTimeOffset.FromUnixTimeMilliseconds(deadline).ToString("O", CultureInfo.InvariantCulture),
        });
}
