
namespace CompassCi.Grains.Queues;

/// <summary>
/// The job a claim took (null when nothing fitted), the queue's arrival count at that moment, and whether
/// the consume request was superseded by a retry (then it must take nothing).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClaimOutcome(
    [property: Id(0)] JobRecord? Job,
    [property: Id(1)] long Arrivals,
    [property: Id(2)] bool Superseded = false);
