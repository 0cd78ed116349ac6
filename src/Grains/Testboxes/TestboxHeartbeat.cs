namespace CompassCi.Grains.Testboxes;

/// <summary>
/// A testbox's heartbeat record, judged on the database's clock when it was read: times in unix milliseconds,
/// <paramref name="Silent"/> when its deadline has passed, and for how long it has not beaten.
/// </summary>
public sealed record TestboxHeartbeat(string Testbox, long LastHeartbeat, int IntervalSeconds, long Deadline, bool Silent, long SilentMillis);
