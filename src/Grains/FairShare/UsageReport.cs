namespace CompassCi.Grains.FairShare;

/// <summary>
/// One silo's changes for the fair-share grain. <see cref="Sequence"/> grows by one per report of <see cref="Silo"/>;
/// a report sent again after a lost answer carries the same number, so its changes count once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UsageReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] long Sequence,
    [property: Id(2)] IReadOnlyList<UsageDelta> Deltas);
