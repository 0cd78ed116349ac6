using System.Globalization;
using CompassCi.Grains.Effects;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Every sweep interval: jobs past their deadline, jobs held by silent testboxes, clusters that must act, and effects
/// their writer did not deliver in time; it asks each one's owner to act. Everything it looks for lives in the table,
/// so a sweeper that moves to another silo after a crash finds exactly what the old one would have. Owners re-check
/// before acting, so two sweepers during a membership change do no harm. A reminder re-activates it within a minute
/// even if no silo pings it.
/// </summary>
public sealed class SweeperGrain(
    JobStore jobs,
    TestboxStore testboxes,
    ClusterStore clusters,
    JobEffectStore outbox,
    JobEffectRunner effects,
    TimeProvider clock,
    IOptions<LifecycleOptions> options,
    ILogger<SweeperGrain> logger)
    : Grain, ISweeperGrain, IRemindable
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
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await SweepForAsync("jobs overdue", () => jobs.ListOverdueAsync(now, BatchSize), id => Job(id).Expire());
        await SweepForAsync("jobs held by a silent testbox", () => testboxes.ListJobsOfSilentTestboxesAsync(BatchSize), id => Job(id).HeartbeatLost());
        await SweepForAsync("clusters to reconcile", () => clusters.ListNeedingReconcileAsync(now, BatchSize), async id =>
        {
            await GrainFactory.GetGrain<IClusterBarrierGrain>(Key(id)).Reconcile();
            return true;
        });
        await SweepForAsync("effects not yet delivered", () => outbox.ListDueAsync(now, BatchSize), effects.RedeliverAsync);
    }

    /// <summary>One sweep: finds what needs acting on and asks each one's owner to act; a failure waits for the next interval.</summary>
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

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);
}
