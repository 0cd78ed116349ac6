namespace CompassCi.Grains.Queues;

/// <summary>How many jobs wait in one queue and since when.</summary>
[GenerateSerializer, Immutable]
public sealed record QueueSummary(
    [property: Id(0)] string Key,
    [property: Id(1)] int Pending,
    [property: Id(2)] long? OldestSubmitTime);
