using System.Diagnostics;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// Holds this silo's job id node number: takes one from <c>id_nodes</c> before the silo serves anything, renews it
/// every quarter of the lease, and takes another when it was lost (the silo could not renew in time and another took
/// it). The generator is told how long the lease surely lasts, counted from before each renewal was sent, so it stops
/// drawing ids before another silo could start drawing under the same number.
/// </summary>
public sealed class JobIdNodeLease(IdNodeStore store, JobIdGenerator ids, IOptions<JobIdOptions> options, ILogger<JobIdNodeLease> logger) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private int _node = -1;

    private TimeSpan Lease => options.Value.NodeLease;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ClaimAsync();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        ids.Release();
        try
        {
            await store.ReleaseAsync(_node, _owner);
        }
        catch (Exception error)
        {
            logger.LogDebug(error, "Job id node {Node} not given back; its lease runs out by itself", _node);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Lease / 4);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var sent = Stopwatch.GetTimestamp();
                if (await store.RenewAsync(_node, _owner, (long)Lease.TotalMilliseconds))
                {
                    ids.Hold(_node, ValidUntil(sent));
                    continue;
                }

                ids.Release();
                logger.LogWarning("Job id node {Node} was taken over (this silo could not renew it in time); taking another", _node);
                await ClaimAsync();
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // The lease runs out by itself if this goes on; the generator stops drawing ids at its end.
                logger.LogWarning(error, "Could not renew job id node {Node}; trying again", _node);
            }
        }
    }

    private async Task ClaimAsync()
    {
        var sent = Stopwatch.GetTimestamp();
        _node = await store.ClaimAsync(_owner, (long)Lease.TotalMilliseconds);
        ids.Hold(_node, ValidUntil(sent));
        logger.LogInformation("Job ids are drawn under node {Node}", _node);
    }

    /// <summary>The lease's end as this process can be sure of it: from before the request, less a tenth for clock drift.</summary>
    private long ValidUntil(long sent) => sent + (long)(Lease.TotalSeconds * 0.9 * Stopwatch.Frequency);
}
