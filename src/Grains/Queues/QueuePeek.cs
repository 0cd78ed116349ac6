namespace CompassCi.Grains.Queues;

/// <summary>
/// A queue's best job for some memory, and how many jobs it has received so far. Waiting for work
/// names that count, so a job that arrives between a look and the wait is never missed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QueuePeek(
    [property: Id(0)] QueueHead? Head,
    [property: Id(1)] long Arrivals);
