using CompassCi.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Pings the sweeper from every silo every 30 seconds, so after a failover it is back well before its one-minute
/// reminder would bring it.
/// </summary>
public sealed class SweeperKeepAlive(IGrainFactory grains, TimeProvider clock, ILogger<SweeperKeepAlive> logger) : ActiveSiloLoop
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    protected override async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await grains.GetGrain<ISweeperGrain>(0).Start();
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "Sweeper not reachable; trying again");
            }
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }
}
