namespace CompassCi.Grains.Testboxes;

/// <summary>A testbox's heartbeat record; times in unix milliseconds.</summary>
public sealed record TestboxHeartbeat(string Testbox, long LastHeartbeat, int IntervalSeconds, long Deadline);
