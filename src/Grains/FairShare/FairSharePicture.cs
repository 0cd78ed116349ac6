namespace CompassCi.Grains.FairShare;

/// <summary>
/// The cluster-wide fair-share state as the fair-share grain last merged it: every account it knows, usage decayed to
/// <see cref="AtMs"/>, the mean usage of a finished job, and the cap for accounts without their own.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FairSharePicture(
    [property: Id(0)] long AtMs,
    [property: Id(1)] double MeanJobUsage,
    [property: Id(2)] IReadOnlyDictionary<string, AccountStanding> Accounts,
    [property: Id(3)] int? DefaultRunningCap)
{
    /// <summary>Nothing known yet: every account has one share and no usage.</summary>
    public static FairSharePicture Empty(double meanJobUsage, int? defaultCap) =>
        new(0, meanJobUsage, new Dictionary<string, AccountStanding>(StringComparer.Ordinal), defaultCap);
}
