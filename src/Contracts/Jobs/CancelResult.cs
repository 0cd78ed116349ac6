namespace CompassCi.Contracts.Jobs;

/// <summary>What a cancel did: the status, the job after it (when there is one) and, for a conflict, why.</summary>
[GenerateSerializer, Immutable, Alias("CompassCi.CancelResult.v1")]
public sealed record CancelResult(
    [property: Id(0)] CancelStatus Status,
    [property: Id(1)] JobView? Job,
    [property: Id(2)] string? Message);
