namespace CompassCi.Grains.Testboxes;

/// <summary>
/// One moment a testbox was heard from by a consume: what it offers, and until when it waits (null once its consume
/// got a job). <see cref="Tags"/> null means "only the wait changed".
/// </summary>
public sealed record TestboxSighting(string Testbox, string? Host, string? Tags, long? MemoryMb, long Seen, long? WaitingUntil);
