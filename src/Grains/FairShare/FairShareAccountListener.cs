using CompassCi.Grains.Accounts;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.FairShare;

/// <summary>
/// Tells the fair-share keeper that an account's shares or running cap changed; every silo has the new picture at its
/// next exchange (within a second). The change itself is already stored: a notice that fails is logged, and the
/// keeper's periodic re-read of the accounts picks it up.
/// </summary>
public sealed class FairShareAccountListener(IGrainFactory grains, ILogger<FairShareAccountListener> logger) : IAccountChangeListener
{
    public async Task AccountChanged(string account)
    {
        try
        {
            await grains.GetGrain<IFairShareGrain>(0).AccountsChanged();
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Fair share was not told that account {Account} changed; it reads accounts again within its recount interval", account);
        }
    }
}
