using CompassCi.Grains.Storage;
using CompassCi.Grains.Testboxes;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Looks for overdue jobs, jobs held by silent testboxes and clusters that must act every sweep interval, and asks each one's grain to act. The deadline lives in the
/// table, so a sweeper that moves to another silo after a crash finds exactly what the old one would have.
/// A reminder re-activates it within a minute even if no silo pings it.
/// </summary>
public sealed class DeadlineSweeperGrain(JobStore store, TestboxStore testboxes, ClusterStore clusters, TimeProvider clock, IOptions<LifecycleOptions> options, ILogger<DeadlineSweeperGrain> logger)
    : Grain, IDeadlineSweeperGrain, IRemindable
{
    private const int BatchSize = 500;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var every = options.Value.SweepInterval;
        this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions(every, every) { Interleave = false, KeepAlive = true });
        await this.RegisterOrUpdateReminder("keep-sweeping", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), cancellationToken);
    }

    public Task Start() => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await SweepForAsync("jobs overdue", () => store.ListOverdueAsync(now.ToUnixTimeMilliseconds(), BatchSize), id => Job(id).Expire());
        await SweepForAsync("jobs held by a silent testbox", () => testboxes.ListJobsOfSilentTestboxesAsync(now.ToUnixTimeMilliseconds(), BatchSize), id => Job(id).HeartbeatLost());
        await SweepForAsync("clusters to reconcile", () => clusters.ListNeedingReconcileAsync(now.ToUnixTimeMilliseconds(), BatchSize), async id =>
        {
            await GrainFactory.GetGrain<IClusterBarrierGrain>(Key(id)).Reconcile();
            return true;
        });

        // Ended jobs whose host has not acted on them (the direct call was lost), older than a few seconds: the job
        // grain's own call is normally done by then.
        await SweepForAsync("ended on a host not yet told", () => store.ListHostPendingAsync((now - TimeSpan.FromSeconds(5)).ToUnixTimeMilliseconds(), BatchSize), async pending =>
        {
            await GrainFactory.GetGrain<IHostLifecycleGrain>(pending.Host).JobEnded(pending.Id);
            return true;
        });
    }

    /// <summary>One sweep: finds what needs acting on and asks each one's grain to act; a failure waits for the next interval.</summary>
    private async Task SweepForAsync<T>(string what, Func<Task<List<T>>> find, Func<T, Task<bool>> act)
    {
        try
        {
            var found = await find();
            var acted = await Task.WhenAll(found.Select(act));
            if (acted.Any(a => a))
            {
                logger.LogInformation("Sweep acted on {Count} of {Found} {What}", acted.Count(a => a), found.Count, what);
            }
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Sweep for {What} failed; trying again next interval", what);
        }
    }

    private IJobGrain Job(long id) => GrainFactory.GetGrain<IJobGrain>(Key(id));

    private static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
