using System.Globalization;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// The queued-job limits of one account, as a submit meets them: beyond the soft limit a submit is accepted with a
/// warning, beyond the hard limit it is refused. A submit of several jobs (a cluster's node jobs) counts them all.
/// </summary>
/// <param name="Account">The account.</param>
/// <param name="Queued">Its jobs pending now.</param>
/// <param name="SoftLimit">Queued jobs beyond which a submit gets a warning.</param>
/// <param name="HardLimit">Queued jobs beyond which a submit is refused.</param>
public sealed record QueuedJobQuota(string Account, long Queued, int SoftLimit, int HardLimit)
{
    /// <summary>Why adding <paramref name="adding"/> jobs is refused, or null when it is not.</summary>
    public string? Refusal(int adding) => Queued + adding > HardLimit
        ? string.Create(CultureInfo.InvariantCulture, $"account '{Account}' has {Queued} queued jobs; its hard limit is {HardLimit}, so {adding} more cannot be queued until some of them start or are cancelled")
        : null;

    /// <summary>What the submitter should know after adding <paramref name="adding"/> jobs, or null when under the soft limit.</summary>
    public string? Warning(int adding) => Queued + adding > SoftLimit
        ? string.Create(CultureInfo.InvariantCulture, $"account '{Account}' now has {Queued + adding} queued jobs, above its soft limit of {SoftLimit} (at {HardLimit} submits are refused)")
        : null;
}
