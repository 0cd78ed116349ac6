namespace CompassCi.Grains.Queues;

/// <summary>
/// What a queue keeps of a pending job: just enough to order and filter it. Kept small on purpose,
/// since a queue may hold 100,000 of these in memory.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PendingJob(
    [property: Id(0)] long Id,
    [property: Id(1)] int Priority,
    [property: Id(2)] long SubmitTime,
    [property: Id(3)] long MemoryMb,
    [property: Id(4)] string Account);
