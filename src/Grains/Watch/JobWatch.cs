using System.Globalization;
using CompassCi.Contracts.Watch;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Watch;

/// <summary>
/// The live job watches, as long polls from a position: read the truth (the job rows' histories) and answer what is
/// after the position, or wait and read again. A one-job watch learns when to read again from the job's grain
/// (<see cref="IJobGrain.WaitForChange"/>), wherever it lives in the cluster; a many-job watch reads the jobs that
/// changed since its position every <see cref="WatchOptions.PollInterval"/>. Used by the SSE endpoints and by
/// <see cref="JobWatchGrain"/>.
/// </summary>
public sealed class JobWatch(JobWatchStore store, IGrainFactory grains, IOptions<WatchOptions> options, TimeProvider clock, ILogger<JobWatch> logger)
{
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(250);

    private WatchOptions Options => options.Value;

    /// <summary>
    /// The changes of job <paramref name="jobId"/> after entry <paramref name="after"/> (1-based; 0 for all), waiting up
    /// to <paramref name="maxWait"/> for one; NotFound when there is no such job.
    /// </summary>
    public async Task<JobEvents> NextAsync(long jobId, int after, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + maxWait;
        var position = after.ToString(CultureInfo.InvariantCulture);
        while (true)
        {
            if (await store.GetHistoryAsync(jobId, cancellationToken) is not { } row)
            {
                return new JobEvents([], position, NotFound: true);
            }

            var history = JobEventReader.Read(jobId, row.History);
            var events = history.Where(e => e.Index > after).Take(Options.MaxEvents).Select(e => e.Event).ToList();
            var remaining = until - clock.GetUtcNow();
            if (events.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return new JobEvents(events, events.Count > 0 ? events[^1].Id : position);
            }

            var wait = remaining < Options.Round ? remaining : Options.Round;
            if (history.Count > 0 && history[^1].Event.Stage is JobStages.Finish or JobStages.Submit)
            {
                // An ended job changes only by the results pipeline, and a pending one is handed out by its queue's batched
                // claim: both write outside the job's grain, which cannot say when. Read again soon.
                await Task.Delay(wait < Options.PollInterval ? wait : Options.PollInterval, clock, cancellationToken);
                continue;
            }

            await WaitForChangeAsync(jobId, row.Version, wait, cancellationToken);
        }
    }

    /// <summary>
    /// The changes of every job <paramref name="filter"/> matches after <paramref name="after"/> (null: from now), at most
    /// <see cref="WatchOptions.MaxEvents"/>, waiting up to <paramref name="maxWait"/> for one. Only changes older than
    /// <see cref="WatchOptions.Settle"/> are answered (see <see cref="ManyJobCursor"/>).
    /// </summary>
    public async Task<JobEvents> NextAsync(WatchFilter filter, WatchPosition? after, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + maxWait;
        var position = after ?? Start();
        while (true)
        {
            var horizon = (clock.GetUtcNow() - Options.Settle).ToUnixTimeMilliseconds();
            var jobs = await store.ListChangedSinceAsync(filter, position.Time, cancellationToken);
            var (events, next) = ManyJobCursor.Next(jobs, position, horizon, Options.MaxEvents);
            position = next;
            var remaining = until - clock.GetUtcNow();
            if (events.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return new JobEvents(events, position.ToString());
            }

            await Task.Delay(remaining < Options.PollInterval ? remaining : Options.PollInterval, clock, cancellationToken);
        }
    }

    /// <summary>Where a many-job watch from now starts: after what has settled, so that it sends what happens from here on.</summary>
    public WatchPosition Start() => WatchPosition.Before((clock.GetUtcNow() - Options.Settle).ToUnixTimeMilliseconds());

    /// <summary>
    /// Waits for the job's grain to say its version passed <paramref name="version"/>, or <paramref name="wait"/>. A
    /// grain call that fails because its silo is gone waits a moment instead: the caller reads the database again.
    /// </summary>
    private async Task WaitForChangeAsync(long jobId, int version, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IJobGrain>(jobId.ToString(CultureInfo.InvariantCulture)).WaitForChange(version, wait).WaitAsync(cancellationToken);
        }
        catch (Exception error) when (error is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or OrleansException)
        {
            logger.LogInformation("Waiting for job {JobId} failed ({Error}); reading it again shortly", jobId, error.GetType().Name);
            await Task.Delay(Backoff, clock, cancellationToken);
        }
    }
}
