namespace CompassCi.Contracts.Jobs;

/// <summary>Result of <see cref="IJobGrain.Submit"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record SubmitOutcome(
    [property: Id(0)] bool Created,
    [property: Id(1)] JobRecord? Job);
