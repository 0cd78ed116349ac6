namespace CompassCi.Contracts.Jobs;

/// <summary>
/// The classification of a crashed job (Taskotron ExecDB's design): who to notify, what caused it, whether retrying
/// is pointless, and free keyvals for details. Notify and cause are closed lists so they can be counted and acted
/// on; everything else goes in <see cref="Keyvals"/>, which nothing interprets.
/// </summary>
/// <param name="Notify">One of <see cref="CrashNotify"/>.</param>
/// <param name="Cause">One of <see cref="CrashCause"/>.</param>
/// <param name="Fatal">Another attempt would crash the same way, so the job is not rescheduled.</param>
/// <param name="Keyvals">Details by name. Values keep their JSON spelling as text: <c>"404"</c> for the number 404, <c>"true"</c> for true.</param>
[GenerateSerializer, Immutable, Alias("CompassCi.CrashReport.v1")]
public sealed record CrashReport(
    [property: Id(0)] string Notify,
    [property: Id(1)] string Cause,
    [property: Id(2)] bool Fatal,
    [property: Id(3)] IReadOnlyDictionary<string, string> Keyvals)
{
    /// <summary>Keyval naming what the scheduler saw when it classified a crash itself.</summary>
    public const string ReasonKey = "reason";

    /// <summary>A crash nobody classified: the job finished as <c>crash</c> without a crash object.</summary>
    public static CrashReport Unknown { get; } = new(CrashNotify.Unknown, CrashCause.Unknown, false, new Dictionary<string, string>(StringComparer.Ordinal));

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
