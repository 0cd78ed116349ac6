using System.Diagnostics;
using CompassCi.Grains.FairShare;
using CompassCi.Grains.Queues;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Telemetry;

namespace CompassCi.Grains.Dispatch;

/// <summary>
/// Serves a consume: finds the queues whose keys the testbox satisfies, takes the best job among their
/// heads (priority, then the account's fair-share rank, then submit time), and when none fits waits on all of them (and on
/// new queue keys, and on a running cap freeing a slot) until the deadline.
/// </summary>
public sealed class JobDispatcher(
    IGrainFactory grains,
    QueueKeyIndex queueKeys,
    JobStore store,
    ConsumeRequestStore consumeRequests,
    UsageLedger ledger,
    SchedulerMetrics metrics,
    TimeProvider clock)
{
    /// <summary>Longest single wait inside a grain; longer waits are several rounds, each re-reading the candidates.</summary>
    private static readonly TimeSpan RoundLimit = TimeSpan.FromSeconds(20);

    /// <summary>The job now held by the testbox (null when nothing matched before the wait ran out), and the attempt that holds it.</summary>
    public async Task<ConsumeOutcome> ConsumeAsync(ConsumeRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await ServeAsync(request, cancellationToken);
        metrics.Consumed(outcome.Job is not null, Stopwatch.GetElapsedTime(started));
        return outcome;
    }

    private async Task<ConsumeOutcome> ServeAsync(ConsumeRequest request, CancellationToken cancellationToken)
    {
        // A request that may be retried starts as a first attempt: a claim records it, fenced on this token, in the
        // claim's own commit. Only when that cannot be known to be safe (nothing to claim yet, or the request was asked
        // before) is the attempt counted on its own, and the request's job looked for, before anything is claimed.
        var fence = request.Retriable ? AttemptFence.First() : new AttemptFence(null);
        await queueKeys.EnsureLoadedAsync();
        var deadline = clock.GetUtcNow() + request.Wait;
        // The long-poll wait, from the first time nothing fits until the consume ends; none when the first look finds a job.
        Activity? wait = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var indexVersion = queueKeys.Version;
                var slotFreed = ledger.SlotFreed;
                var candidates = queueKeys.Candidates(request.Tags);
                var (job, arrivals, superseded) = await TryClaimAsync(candidates, request, fence);
                if (job is not null || superseded)
                {
                    EndWait(wait, job is null ? "none" : "job", job);
                    return new ConsumeOutcome(job, fence.Attempt);
                }

                if (fence.Token is not null)
                {
                    // Nothing claimed on the token: count the attempt (it fences off every earlier attempt still in
                    // flight, say from a silo that just died: after this, its assignment has either landed or never
                    // will), then answer with the job an earlier attempt took, if any, or look again.
                    fence = new AttemptFence(null, await consumeRequests.BeginAttemptAsync(request.LeaseId, request.Testbox, clock.GetUtcNow().ToUnixTimeMilliseconds()));
                    if (fence.Attempt > 1 && await store.FindByLeaseAsync(request.Testbox, request.LeaseId) is { } again)
                    {
                        EndWait(wait, again.Stage == JobStages.Boot ? "job" : "none", again);
                        return new ConsumeOutcome(again.Stage == JobStages.Boot ? again : null, fence.Attempt);
                    }

                    continue;
                }

                var remaining = deadline - clock.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    EndWait(wait, "none", null);
                    return new ConsumeOutcome(null, fence.Attempt);
                }

                wait ??= StartWait(request);
                metrics.Waiting(+1);
                try
                {
                    await WaitForWorkAsync(candidates, arrivals, indexVersion, slotFreed, remaining < RoundLimit ? remaining : RoundLimit, cancellationToken);
                }
                finally
                {
                    metrics.Waiting(-1);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            EndWait(wait, "cancelled", null);
            throw;
        }
        finally
        {
            wait?.Dispose();
        }
    }

    private static Activity? StartWait(ConsumeRequest request)
    {
        var wait = SchedulerTracing.Source.StartActivity(SchedulerTracing.ConsumeWait);
        wait?.SetTag(SchedulerTracing.Testbox, request.Testbox);
        return wait;
    }

    /// <summary>Tags the wait with how it ended: a <c>job</c> handed out, <c>none</c> by the deadline, or <c>cancelled</c> (the testbox hung up, the silo stops).</summary>
    private static void EndWait(Activity? wait, string outcome, JobRecord? job)
    {
        wait?.SetTag(SchedulerTracing.Outcome, outcome);
        if (job is not null)
        {
            wait?.SetTag(SchedulerTracing.JobId, job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private async Task<(JobRecord? Job, Dictionary<string, long> Arrivals, bool Superseded)> TryClaimAsync(List<string> candidates, ConsumeRequest request, AttemptFence fence)
    {
        var arrivals = new Dictionary<string, long>(StringComparer.Ordinal);
        var claim = new ClaimRequest(request.Testbox, request.MemoryMb, request.LeaseId, fence.Attempt, request.Host, fence.Token);
        if (candidates.Count == 1)
        {
            var outcome = await grains.GetGrain<IQueueGrain>(candidates[0]).Claim(claim);
            arrivals[candidates[0]] = outcome.Arrivals;
            return (outcome.Job, arrivals, outcome.Superseded);
        }

        var peeks = await Task.WhenAll(candidates.Select(async key => (Key: key, Peek: await grains.GetGrain<IQueueGrain>(key).Peek(request.MemoryMb))));
        foreach (var (key, peek) in peeks)
        {
            arrivals[key] = peek.Arrivals;
        }

        var ordered = peeks.Where(p => p.Peek.Head is not null)
            .OrderByDescending(p => p.Peek.Head!.Priority)
            .ThenBy(p => ledger.Enabled ? ledger.Rank(p.Peek.Head!.Account) : 0)
            .ThenBy(p => p.Peek.Head!.SubmitTime)
            .ThenBy(p => p.Peek.Head!.JobId);
        foreach (var (key, _) in ordered)
        {
            var outcome = await grains.GetGrain<IQueueGrain>(key).Claim(claim);
            arrivals[key] = Math.Min(arrivals[key], outcome.Arrivals);
            // A first attempt whose request was known goes no further: the caller counts the attempt before any claim.
            if (outcome.Job is not null || outcome.Superseded || outcome.CountAttempt)
            {
                return (outcome.Job, arrivals, outcome.Superseded);
            }
        }

        return (null, arrivals, false);
    }

    private async Task WaitForWorkAsync(List<string> candidates, Dictionary<string, long> arrivals, long indexVersion, Task slotFreed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = candidates
            .Select(key => Quietly(grains.GetGrain<IQueueGrain>(key).WaitForWork(arrivals[key], timeout, alone: candidates.Count == 1, round.Token)))
            .Append(Quietly(queueKeys.WaitForChangeAsync(indexVersion, round.Token).ContinueWith(_ => true, TaskScheduler.Default)))
            .Append(Quietly(slotFreed.WaitAsync(round.Token).ContinueWith(_ => true, TaskScheduler.Default)))
            .ToList();
        using var timer = new CancellationTokenSource(timeout, clock);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(round.Token, timer.Token);
        try
        {
            await Task.WhenAny(waits).WaitAsync(both.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The round's time is up: go round again (or give up at the deadline).
        }
        finally
        {
            await round.CancelAsync();
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>A wait that never faults: a cancelled or failed wait just means "look again".</summary>
    private static async Task<bool> Quietly(Task<bool> wait)
    {
        try
        {
            return await wait;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
