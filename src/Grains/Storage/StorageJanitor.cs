using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Storage;

/// <summary>
/// Forgets, after a day, what only matters for a short while: consume request ids (a testbox retries a lost answer
/// within seconds to minutes) and effects already delivered. Without it both tables grow with every job.
/// </summary>
public sealed class StorageJanitor(ConsumeRequestStore consumeRequests, JobEffectStore effects, TimeProvider clock, ILogger<StorageJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(10);
    private const int BatchSize = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var before = (clock.GetUtcNow() - Retention).ToUnixTimeMilliseconds();
            await DeleteAllAsync("consume request ids", () => consumeRequests.DeleteOlderThanAsync(before, BatchSize), stoppingToken);
            await DeleteAllAsync("delivered effects", () => effects.DeleteDoneAsync(before, BatchSize), stoppingToken);
        }
    }

    private async Task DeleteAllAsync(string what, Func<Task<int>> deleteBatch, CancellationToken stoppingToken)
    {
        try
        {
            while (await deleteBatch() == BatchSize && !stoppingToken.IsCancellationRequested)
            {
                // A full batch: there may be more.
            }
        }
        catch (Exception error) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(error, "Could not delete old {What}; trying again later", what);
        }
    }
}
