using CompassCi.Grains.FairShare;
using CompassCi.Grains.Jobs;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Queues;

/// <summary>
/// The pending jobs of one requirement key. Reentrant so that many claims can wait on their database
/// commits at once (and share them); every change to the in-memory order happens between awaits, so each
/// job is taken by exactly one claim. The hand-out's conditional write (a batched claim that moves the row only while the
/// job is pending, else the JobGrain's versioned write) is the final guard, even against a second activation of this
/// queue during a failover. Which job is best comes from this silo's fair-share ledger: the
/// best-ranked account within the highest priority, skipping accounts at their running cap; a claim counts for its
/// account from before its await until the job is recorded as held, so concurrent claims see it.
/// </summary>
[Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class QueueGrain(
    JobStore store,
    JobClaimStore claims,
    Lifecycle.JobTransitions transitions,
    UsageLedger ledger,
    QueueLoads loads,
    SchedulerMetrics metrics,
    TimeProvider clock,
    IOptions<QueueGrainOptions> options,
    ILogger<QueueGrain> logger)
    : Grain, IQueueGrain
{
    /// <summary>How often the oldest pending job is looked up for the age gauge (a scan of the queue; the count is live).</summary>
    private static readonly TimeSpan OldestEvery = TimeSpan.FromSeconds(5);

    private readonly PendingJobs _pending = new();
    private readonly HashSet<long> _claiming = [];

    /// <summary>The testboxes that wait on this queue alone: one is woken per arrival (see <see cref="QueueWaiters"/>).</summary>
    private readonly QueueWaiters _alone = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _arrivals;
    private QueueLoad _load = new();

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var job in await store.ListPendingAsync(Key))
        {
            _pending.Add(job);
        }

        _arrivals = _pending.Count;
        logger.LogInformation("Queue {QueueKey} rebuilt with {Pending} pending jobs", Key, _pending.Count);
        var every = options.Value.ReconcileInterval;
        this.RegisterGrainTimer(ReconcileAsync, new GrainTimerCreationOptions(every, every) { Interleave = true, KeepAlive = false });
        _load = loads.Track(Key);
        PublishLoad();
        this.RegisterGrainTimer(_ => { PublishLoad(); return Task.CompletedTask; }, new GrainTimerCreationOptions(OldestEvery, OldestEvery) { Interleave = true, KeepAlive = false });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        loads.Untrack(Key, _load);
        return Task.CompletedTask;
    }

    public Task Enqueue(PendingJob job)
    {
        Add(job);
        return Task.CompletedTask;
    }

    public Task<QueuePeek> Peek(long memoryMb)
    {
        var best = _pending.Best(memoryMb, ledger);
        var head = best is null ? null : new QueueHead(best.Priority, best.SubmitTime, best.Id, best.Account);
        return Task.FromResult(new QueuePeek(head, _arrivals));
    }

    public async Task<ClaimOutcome> Claim(ClaimRequest request)
    {
        while (true)
        {
            var arrivals = _arrivals;
            var candidate = _pending.Best(request.MemoryMb, ledger);
            if (candidate is null)
            {
                // A job this claim could not take may suit another waiter that has not looked since it arrived.
                WakeAnotherIfPending();
                return new ClaimOutcome(null, arrivals);
            }

            // Taken out before the first await: no other claim can see it from here on.
            _pending.Remove(candidate.Id);
            _load.Publish(_pending.Count);
            _claiming.Add(candidate.Id);
            ledger.BeginClaim(candidate.Account);
            AssignOutcome outcome;
            try
            {
                outcome = await AssignAsync(candidate, request);
            }
            catch
            {
                // Unknown whether it was assigned; the JobGrain's version check settles it on the next claim.
                _claiming.Remove(candidate.Id);
                _pending.Add(candidate);
                _load.Publish(_pending.Count);
                throw;
            }
            finally
            {
                ledger.EndClaim(candidate.Account);
            }

            _claiming.Remove(candidate.Id);
            if (outcome.Job is not null)
            {
                WakeAnotherIfPending();
                return new ClaimOutcome(outcome.Job, arrivals);
            }

            if (outcome.Superseded)
            {
                // The job is still pending; only this request is obsolete.
                Add(candidate);
                return new ClaimOutcome(null, arrivals, Superseded: true);
            }

            if (request.Token is not null)
            {
                // A first attempt's claim that did not land: its request was known already, or the job moved. Either
                // way the consume counts its attempt and claims again fenced on it (the job, if it moved, is then
                // dropped by that claim); without the count, not even the job's grain could tell it is the latest.
                Add(candidate);
                return new ClaimOutcome(null, arrivals, CountAttempt: true);
            }

            // No longer pending (taken through another activation, or gone): drop it and try the next.
            metrics.ClaimConflict();
            logger.LogDebug("Queue {QueueKey} dropped job {JobId}: {Reason}", Key, candidate.Id, outcome.Refusal);
        }
    }

    /// <summary>
    /// Hands <paramref name="candidate"/> out: in this silo's next batch of claims, which moves the row only while the job
    /// is still pending (no job grain is loaded); when that did not move it, through the job's grain, which knows every
    /// other case (a cancelled job ends, a retried request gets its job again, a job taken elsewhere is refused).
    /// </summary>
    private async Task<AssignOutcome> AssignAsync(PendingJob candidate, ClaimRequest request)
    {
        var lease = transitions.LeaseFor(request.Testbox, request.LeaseId, clock.GetUtcNow());
        if (await claims.ClaimAsync(new JobClaim(candidate.Id, request.Testbox, request.LeaseId, request.Attempt, request.Host, lease, request.Token)) is { } held)
        {
            // What the job grain does after its own writes: the fair-share ledger and the counters learn of the hand-out.
            var change = new JobChange(held with { Stage = JobStages.Submit }, held, [lease.Entry], []);
            ledger.Record(change.Before, change.After);
            metrics.Landed(change);
            return new AssignOutcome(held, null);
        }

        if (request.Token is not null)
        {
            return new AssignOutcome(null, "the consume request's first attempt was not recorded as the latest");
        }

        return await GrainFactory.GetGrain<IJobGrain>(candidate.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Assign(request.Testbox, request.LeaseId, request.Attempt, request.Host);
    }

    public async Task<bool> WaitForWork(long knownArrivals, TimeSpan timeout, bool alone = false, CancellationToken cancellationToken = default)
    {
        if (_arrivals > knownArrivals)
        {
            return true;
        }

        if (alone)
        {
            return await _alone.WaitAsync(knownArrivals, timeout, cancellationToken);
        }

        var arrived = _arrived.Task;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await arrived.WaitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return _arrivals > knownArrivals;
        }
    }

    public Task<bool> Remove(long jobId)
    {
        var removed = _pending.Remove(jobId);
        _load.Publish(_pending.Count);
        return Task.FromResult(removed);
    }

    public Task<QueueSummary> Summary() => Task.FromResult(new QueueSummary(Key, _pending.Count, _pending.OldestSubmitTime()));

    private void Add(PendingJob job)
    {
        if (_claiming.Contains(job.Id) || !_pending.Add(job))
        {
            return;
        }

        _arrivals++;
        _load.Publish(_pending.Count);
        if (_pending.Count == 1)
        {
            _load.PublishOldest(job.SubmitTime);
        }

        var woken = _arrived;
        _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
        _alone.WakeOne(_arrivals);
    }

    private void WakeAnotherIfPending()
    {
        if (_pending.Count > 0)
        {
            _alone.WakeOne(_arrivals);
        }
    }

    private void PublishLoad()
    {
        _load.Publish(_pending.Count);
        _load.PublishOldest(_pending.OldestSubmitTime());
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        try
        {
            // By when jobs became pending, not by id: a job that returned to its queue keeps its old id.
            var since = (clock.GetUtcNow() - options.Value.ReconcileWindow).ToUnixTimeMilliseconds();
            var found = 0;
            foreach (var job in await store.ListPendingAsync(Key, since))
            {
                if (!_pending.Contains(job.Id) && !_claiming.Contains(job.Id))
                {
                    Add(job);
                    found++;
                }
            }

            if (found > 0)
            {
                logger.LogInformation("Queue {QueueKey} found {Found} stored jobs that were never enqueued", Key, found);
            }
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Queue {QueueKey} could not reconcile with the jobs table", Key);
        }
    }
}
