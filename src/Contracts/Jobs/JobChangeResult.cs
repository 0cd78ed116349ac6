namespace CompassCi.Contracts.Jobs;

/// <summary>What a stage change, finish or renew did: the job after it, or which field is at fault and why.</summary>
[GenerateSerializer, Immutable, Alias("CompassCi.JobChangeResult.v1")]
public sealed record JobChangeResult(
    [property: Id(0)] JobChangeStatus Status,
    [property: Id(1)] JobView? Job,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Message = null);
