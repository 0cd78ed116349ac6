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
        await ActAsync("overdue", () => store.ListOverdueAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), BatchSize), job => job.Expire());
        await ActAsync("held by a silent testbox", () => testboxes.ListJobsOfSilentTestboxesAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), BatchSize), job => job.HeartbeatLost());
        await ReconcileClustersAsync();
        await RetellHostsAsync();
    }

    /// <summary>Jobs whose end their host has not acted on (the direct call was lost) are told again.</summary>
    private async Task RetellHostsAsync()
    {
        try
        {
            // Older than a few seconds: the job grain's own call is normally done by then.
            var pending = await store.ListHostPendingAsync((clock.GetUtcNow() - TimeSpan.FromSeconds(5)).ToUnixTimeMilliseconds(), BatchSize);
            foreach (var (id, host) in pending)
            {
                await GrainFactory.GetGrain<IHostLifecycleGrain>(host).JobEnded(id);
            }
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Host re-drive sweep failed; trying again next interval");
        }
    }

    /// <summary>Clusters past their start deadline, or whose node jobs and barrier disagree, are told to reconcile.</summary>
    private async Task ReconcileClustersAsync()
    {
        try
        {
            var found = await clusters.ListNeedingReconcileAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), BatchSize);
            await Task.WhenAll(found.Select(id => GrainFactory.GetGrain<IClusterBarrierGrain>(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Reconcile()));
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Cluster reconcile sweep failed; trying again next interval");
        }
    }

    private async Task ActAsync(string what, Func<Task<List<long>>> find, Func<IJobGrain, Task<bool>> act)
    {
        try
        {
            var found = await find();
            var acted = await Task.WhenAll(found.Select(id => act(GrainFactory.GetGrain<IJobGrain>(id.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
            if (acted.Any(a => a))
            {
                logger.LogInformation("Sweep acted on {Count} of {Found} jobs {What}", acted.Count(a => a), found.Count, what);
            }
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Sweep for jobs {What} failed; trying again next interval", what);
        }
    }
}
