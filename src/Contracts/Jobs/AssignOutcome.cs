namespace CompassCi.Contracts.Jobs;

/// <summary>Result of <see cref="IJobGrain.Assign"/>: the job when the assignment is persisted, else null.</summary>
[GenerateSerializer, Immutable]
public sealed record AssignOutcome(
    [property: Id(0)] JobRecord? Job,
    [property: Id(1)] string? Refusal);
