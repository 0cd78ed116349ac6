using CompassCi.Grains.Storage;

namespace CompassCi.Silo.Hosting;

/// <summary>
/// Forgets consume request ids after a day. They only matter while a testbox may still retry a request
/// whose answer it lost, which is seconds to minutes; without this the table grows with every consume.
/// </summary>
public sealed class ConsumeRequestJanitor(JobStore store, TimeProvider clock, ILogger<ConsumeRequestJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(10);
    private const int BatchSize = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var before = (clock.GetUtcNow() - Retention).ToUnixTimeMilliseconds();
                int deleted;
                do
                {
                    deleted = await store.DeleteConsumeRequestsAsync(before, BatchSize);
                }
                while (deleted == BatchSize && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(error, "Could not delete old consume request ids; trying again later");
            }
        }
    }
}
