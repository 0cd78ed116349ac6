namespace CompassCi.Grains.Queues;

/// <summary>
/// A testbox asking a queue for its best job. <see cref="Attempt"/> is the consume request's attempt number
/// (0 when the request cannot be retried): the assignment is fenced on it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClaimRequest(
    [property: Id(0)] string Testbox,
    [property: Id(1)] long MemoryMb,
    [property: Id(2)] string LeaseId,
    [property: Id(3)] int Attempt,
    [property: Id(4)] string? Host = null);
