namespace CompassCi.Grains.Lifecycle;

/// <summary>A hand-out's terms: when it happened, by when the testbox must confirm it, and its <c>leased</c> history entry.</summary>
public sealed record JobLease(long BootTime, long Deadline, JobHistoryEntry Entry);
