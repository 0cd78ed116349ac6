using CompassCi.Grains.Storage;
using CompassCi.Grains.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Effects;

/// <summary>
/// Delivers the effects of job changes: right after the write that recorded them (the fast path, run by the writing
/// grain), and again for any the sweeper finds not done in time (after a crash, or when a handler failed). The outbox
/// row is the truth; delivery is at least once, handlers are idempotent, and a delivered effect is marked done so it
/// is not delivered again. A later fast path (an Orleans stream, for the results pipeline) is just another caller of
/// <see cref="DeliverAsync"/>.
/// </summary>
public sealed class JobEffectRunner
{
    private readonly Dictionary<string, IJobEffectHandler> _handlers;
    private readonly JobEffectStore _outbox;
    private readonly FailPoints _failPoints;
    private readonly TimeProvider _clock;
    private readonly JobEffectOptions _options;
    private readonly ILogger<JobEffectRunner> _logger;

    public JobEffectRunner(IEnumerable<IJobEffectHandler> handlers, JobEffectStore outbox, FailPoints failPoints, TimeProvider clock, IOptions<JobEffectOptions> options, ILogger<JobEffectRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
        _outbox = outbox;
        _failPoints = failPoints;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Delivers the effects a change recorded, once its write committed. Waits for every effect but the detached ones,
    /// which are started and left to finish on their own. Never throws: what fails stays due for the sweeper.
    /// </summary>
    public async Task DeliverAsync(JobChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _failPoints.BeforeEffects(change.After);
        var entries = change.Effects.Select(e => new OutboxEntry(change.After.Id, change.After.Version, e, 1)).ToList();
        var waited = entries.Where(e => !Handler(e).Detached).ToList();
        var delivered = new List<OutboxEntry>();
        foreach (var entry in waited)
        {
            if (await TryHandleAsync(entry) && !Handler(entry).DoneElsewhere)
            {
                delivered.Add(entry);
            }
        }

        await MarkDoneAsync(delivered);
        foreach (var entry in entries.Except(waited))
        {
            // Off the writer's turn: the handler may call back into the writer's grain.
            _ = Task.Run(async () =>
            {
                if (await TryHandleAsync(entry) && !Handler(entry).DoneElsewhere)
                {
                    await MarkDoneAsync([entry]);
                }
            });
        }
    }

    /// <summary>
    /// Delivers one effect that is due again (the sweeper found it not done): claims it, so two sweepers do not both
    /// deliver it, and backs its next attempt off. True when it was delivered now.
    /// </summary>
    public async Task<bool> RedeliverAsync(OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var backoff = TimeSpan.FromTicks(Math.Min(_options.RedriveAfter.Ticks << Math.Min(entry.Attempts, 16), _options.MaxRedriveInterval.Ticks));
        if (!await _outbox.ClaimAsync(entry, (_clock.GetUtcNow() + backoff).ToUnixTimeMilliseconds()))
        {
            return false;
        }

        var claimed = entry with { Attempts = entry.Attempts + 1 };
        if (!await TryHandleAsync(claimed))
        {
            return false;
        }

        if (!Handler(claimed).DoneElsewhere)
        {
            await MarkDoneAsync([claimed]);
        }

        return true;
    }

    private async Task<bool> TryHandleAsync(OutboxEntry entry)
    {
        try
        {
            await Handler(entry).HandleAsync(entry);
            return true;
        }
        catch (Exception error)
        {
            _logger.LogWarning(error, "Effect {Kind} of job {JobId} (version {Version}, attempt {Attempt}) not delivered; the sweeper tries again", entry.Effect.Kind, entry.JobId, entry.Version, entry.Attempts);
            try
            {
                await _outbox.RecordFailureAsync(entry, error.Message);
            }
            catch (Exception recordError)
            {
                _logger.LogDebug(recordError, "Could not record the failure of effect {Kind} of job {JobId}", entry.Effect.Kind, entry.JobId);
            }

            return false;
        }
    }

    private async Task MarkDoneAsync(List<OutboxEntry> delivered)
    {
        if (delivered.Count == 0)
        {
            return;
        }

        try
        {
            await _outbox.MarkDoneAsync(delivered[0].JobId, delivered[0].Version, delivered.Select(e => e.Effect.Kind), _clock.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (Exception error)
        {
            // Delivered but not marked: the sweeper delivers it again, which the handler tolerates.
            _logger.LogWarning(error, "Effects of job {JobId} delivered but not marked done", delivered[0].JobId);
        }
    }

    private IJobEffectHandler Handler(OutboxEntry entry) =>
        _handlers.TryGetValue(entry.Effect.Kind, out var handler)
            ? handler
            : throw new InvalidOperationException($"no handler for effect kind '{entry.Effect.Kind}'");
}
