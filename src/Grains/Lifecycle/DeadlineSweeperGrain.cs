using CompassCi.Grains.Storage;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Looks for overdue jobs every sweep interval and asks each one's JobGrain to act. The deadline lives in the
/// table, so a sweeper that moves to another silo after a crash finds exactly what the old one would have.
/// A reminder re-activates it within a minute even if no silo pings it.
/// </summary>
public sealed class DeadlineSweeperGrain(JobStore store, TimeProvider clock, IOptions<LifecycleOptions> options, ILogger<DeadlineSweeperGrain> logger)
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
        try
        {
            var overdue = await store.ListOverdueAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), BatchSize);
            var acted = await Task.WhenAll(overdue.Select(id => GrainFactory.GetGrain<IJobGrain>(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Expire()));
            if (acted.Any(a => a))
            {
                logger.LogInformation("Deadline sweep acted on {Count} of {Overdue} overdue jobs", acted.Count(a => a), overdue.Count);
            }
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Deadline sweep failed; trying again next interval");
        }
    }
}
