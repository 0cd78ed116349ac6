using CompassCi.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.FairShare;

/// <summary>
/// Trades this silo's <see cref="UsageLedger"/> changes for the merged picture: every <see cref="FairShareOptions.ExchangeInterval"/>
/// while there are changes, every <see cref="FairShareOptions.IdleExchangeInterval"/> otherwise (so other silos' changes
/// arrive here too). A lost answer leaves the report outstanding; it is sent again with its sequence number.
/// </summary>
public sealed class UsageExchange(
    IGrainFactory grains,
    UsageLedger ledger,
    IOptions<FairShareOptions> options,
    TimeProvider clock,
    ILogger<UsageExchange> logger) : ActiveSiloLoop
{
    protected override async Task RunAsync(CancellationToken stopping)
    {
        var lastExchange = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(options.Value.ExchangeInterval, clock);
        do
        {
            var now = clock.GetUtcNow();
            if (!ledger.HasChanges && now - lastExchange < options.Value.IdleExchangeInterval)
            {
                continue;
            }

            try
            {
                ledger.Accept(await grains.GetGrain<IFairShareGrain>(0).Exchange(ledger.TakeReport()));
                lastExchange = now;
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "Fair-share grain not reachable; trying again");
            }
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }

    /// <summary>Hands over what this silo saw last, so a graceful stop loses no usage.</summary>
    protected override async Task OnStoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (ledger.HasChanges)
            {
                ledger.Accept(await grains.GetGrain<IFairShareGrain>(0).Exchange(ledger.TakeReport()).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken));
            }
        }
        catch (Exception error)
        {
            logger.LogDebug(error, "Could not hand over the last fair-share changes");
        }
    }
}
