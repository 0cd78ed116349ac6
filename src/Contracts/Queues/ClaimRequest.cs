namespace CompassCi.Contracts.Queues;

/// <summary>A testbox asking a queue for its best job.</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimRequest(
    [property: Id(0)] string Testbox,
    [property: Id(1)] long MemoryMb,
    [property: Id(2)] string LeaseId);
