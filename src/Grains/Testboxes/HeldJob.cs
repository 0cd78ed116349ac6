namespace CompassCi.Grains.Testboxes;

/// <summary>An unfinished job a testbox holds, as its heartbeat answer lists it.</summary>
public sealed record HeldJob(long Id, string Stage, bool CancelRequested);
