namespace CompassCi.Grains.Jobs;

/// <summary>
/// Result of <see cref="IJobGrain.Assign"/>: the job when the assignment is persisted, else null with the
/// reason. Superseded means the job is still pending but this consume attempt was replaced by a retry.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AssignOutcome(
    [property: Id(0)] JobRecord? Job,
    [property: Id(1)] string? Refusal,
    [property: Id(2)] bool Superseded = false);
