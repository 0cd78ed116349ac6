namespace CompassCi.Grains.Queues;

/// <summary>
/// A testbox asking a queue for its best job. <see cref="Attempt"/> is the consume request's attempt number
/// (0 when the request cannot be retried): the assignment is fenced on it. A first attempt that has not been counted
/// yet carries a <see cref="Token"/> instead: its claim records the attempt itself, fenced on the token.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClaimRequest(
    [property: Id(0)] string Testbox,
    [property: Id(1)] long MemoryMb,
    [property: Id(2)] string LeaseId,
    [property: Id(3)] int Attempt,
    [property: Id(4)] string? Host = null,
    [property: Id(5)] string? Token = null);
