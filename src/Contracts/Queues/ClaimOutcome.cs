using CompassCi.Contracts.Jobs;

namespace CompassCi.Contracts.Queues;

/// <summary>The job a claim took (null when nothing fitted), and the queue's arrival count at that moment.</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimOutcome(
    [property: Id(0)] JobRecord? Job,
    [property: Id(1)] long Arrivals);
