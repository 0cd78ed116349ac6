using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Pings the sweeper from every silo every 30 seconds, so after a failover it is back well before its one-minute
/// reminder would bring it.
/// </summary>
public sealed class SweeperKeepAlive(IGrainFactory grains, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<SweeperKeepAlive> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await grains.GetGrain<ISweeperGrain>(0).Start();
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(error, "Sweeper not reachable; trying again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
