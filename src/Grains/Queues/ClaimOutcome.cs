
namespace CompassCi.Grains.Queues;

/// <summary>
/// The job a claim took (null when nothing fitted), the queue's arrival count at that moment, and whether
/// the consume request was superseded by a retry (then it must take nothing), or whether a first attempt found its
/// request already known (then it must count an attempt and look for the request's job before it claims).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClaimOutcome(
    [property: Id(0)] JobRecord? Job,
    [property: Id(1)] long Arrivals,
    [property: Id(2)] bool Superseded = false,
    [property: Id(3)] bool CountAttempt = false);
