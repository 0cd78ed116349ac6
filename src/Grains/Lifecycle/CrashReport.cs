using System.Collections.ObjectModel;
using System.Globalization;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// The classification of a crashed job (Taskotron ExecDB's design): who to notify, what caused it, whether retrying
/// is pointless, and free keyvals for details. Notify and cause are closed lists so they can be counted and acted
/// on; everything else goes in <see cref="Keyvals"/>, which nothing interprets.
/// </summary>
/// <param name="Notify">One of <see cref="CrashNotify"/>.</param>
/// <param name="Cause">One of <see cref="CrashCause"/>.</param>
/// <param name="Fatal">Another attempt would crash the same way, so the job is not rescheduled.</param>
/// <param name="Keyvals">Details by name. Values keep their JSON spelling as text: <c>"404"</c> for the number 404, <c>"true"</c> for true.</param>
public sealed record CrashReport(string Notify, string Cause, bool Fatal, IReadOnlyDictionary<string, string> Keyvals)
{
    /// <summary>Keyval naming what the scheduler saw when it classified a crash itself.</summary>
    public const string ReasonKey = "reason";

    /// <summary>A crash nobody classified: the job finished as <c>crash</c> without a crash object.</summary>
    public static CrashReport Unknown { get; } = new(CrashNotify.Unknown, CrashCause.Unknown, false, ReadOnlyDictionary<string, string>.Empty);

    /// <summary>
    /// The scheduler's classification when a testbox holding a job stops heartbeating: the box is at fault and the
    /// lab must look at it; not fatal, since the job may well pass on another box.
    /// </summary>
    /// <param name="testbox">The silent testbox.</param>
    /// <param name="silentSeconds">How long it had been silent when the crash was declared.</param>
    public static CrashReport HeartbeatLost(string testbox, long silentSeconds)
    {
        ArgumentNullException.ThrowIfNull(testbox);
        return new CrashReport(CrashNotify.Lab, CrashCause.Testbox, false, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ReasonKey] = "heartbeat_lost",
            ["testbox"] = testbox,
            ["silent_seconds"] = silentSeconds.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// The scheduler's classification when a confirmed job overruns its stage deadline. The testbox is known to be
    /// alive by then (a silent one is caught by heartbeats first), so the job itself is the likeliest cause and
    /// another attempt would likely overrun the same way.
    /// </summary>
    /// <param name="stage">The stage that overran.</param>
    /// <param name="deadline">The deadline it passed, unix milliseconds.</param>
    public static CrashReport DeadlineExceeded(string stage, long deadline) =>
        new(CrashNotify.Task, CrashCause.Task, false, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ReasonKey] = "deadline_exceeded",
            ["stage"] = stage,
            ["deadline"] = DateTimeOffset.FromUnixTimeMilliseconds(deadline).ToString("O", CultureInfo.InvariantCulture),
        });

    /// <summary>The report as stored in the job's <c>crash</c> column and shown to clients.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson() => new()
    {
        ["notify"] = Notify,
        ["cause"] = Cause,
        ["fatal"] = Fatal,
        ["keyvals"] = new System.Text.Json.Nodes.JsonObject(Keyvals.Select(k => KeyValuePair.Create(k.Key, (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(k.Value)))),
    };

    /// <summary>Equal when every field is, keyvals compared by content rather than by reference.</summary>
    public bool Equals(CrashReport? other) =>
        other is not null
        && Notify == other.Notify
        && Cause == other.Cause
        && Fatal == other.Fatal
        && Keyvals.Count == other.Keyvals.Count
        && Keyvals.All(kv => other.Keyvals.TryGetValue(kv.Key, out var value) && value == kv.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Notify, Cause, Fatal, Keyvals.Count);
}
