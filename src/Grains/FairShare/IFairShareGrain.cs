namespace CompassCi.Grains.FairShare;

/// <summary>
/// The one keeper of fair-share state for the cluster (key 0): every silo's <see cref="UsageLedger"/> sends it usage
/// changes and gets back the merged picture. It reads shares and caps from <c>accounts</c>, held jobs from <c>jobs</c>,
/// and keeps usage in <c>account_usage</c>.
/// </summary>
public interface IFairShareGrain : IGrainWithIntegerKey
{
    /// <summary>Merges one silo's changes (once per sequence number) and answers the merged picture.</summary>
    Task<FairSharePicture> Exchange(UsageReport report);

    /// <summary>Accounts were created or changed: read shares and running caps again.</summary>
    Task AccountsChanged();
}
