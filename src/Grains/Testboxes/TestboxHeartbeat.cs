namespace CompassCi.Grains.Testboxes;

/// <summary>
/// A testbox's heartbeat record, judged on the database's clock when it was read: times in unix milliseconds,
/// <paramref name="Silent"/> when its deadline has passed, for how long it has not beaten, and the jobs it held when it
/// last beat (<paramref name="HeldAtBeat"/>: only those can be crashed by its silence).
/// </summary>
public sealed record TestboxHeartbeat(string Testbox, long LastHeartbeat, int IntervalSeconds, long Deadline, bool Silent, long SilentMillis, IReadOnlyList<long>? HeldAtBeat = null);
