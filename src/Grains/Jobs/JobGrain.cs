using System.Globalization;
using CompassCi.Grains.Effects;
using CompassCi.Grains.FairShare;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// One job. Its state is its <c>jobs</c> row, read on activation. Each command asks <see cref="JobTransitions"/> what
/// it does, writes that with one conditional write on the row's version (so a stale or duplicate activation can never
/// overwrite a newer truth), and then delivers the effects the write recorded.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class JobGrain(
    JobStore store,
    TestboxStore testboxes,
    HostStore hosts,
    JobTransitions transitions,
    JobEffectRunner effects,
    JobIdGenerator ids,
    UsageLedger usage,
    Telemetry.SchedulerMetrics metrics,
    TimeProvider clock,
    ILogger<JobGrain> logger)
    : Grain, IJobGrain
{
    /// <summary>How many times a command is decided when its write keeps finding the row moved.</summary>
    private const int MaxDecisions = 3;

    private JobRecord? _job;
    private bool _loaded;

    /// <summary>Completed (and cleared) when the job's state changes; null while nobody waits, so writes cost nothing then.</summary>
    private TaskCompletionSource? _changed;

    private long Id => long.TryParse(this.GetPrimaryKeyString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    public async Task<JobRecord?> Get()
    {
        await EnsureLoadedAsync();
        return _job;
    }

    public async Task<AssignOutcome> Assign(string testbox, string leaseId, int attempt, string? host)
    {
        await EnsureLoadedAsync();
        var fresh = false;
        for (var round = 0; round < 3; round++)
        {
            if (_job is null)
            {
                return new AssignOutcome(null, "no such job");
            }

            var decided = transitions.Assign(_job, testbox, leaseId, host, clock.GetUtcNow());
            if (decided.Change is not { } change)
            {
                if (decided.Refusal is not null && !fresh)
                {
                    // A refusal makes the queue drop the job for good: it must come from the row, not from a stale copy
                    // (another activation of this job may have put it back in its queue meanwhile).
                    await ReloadAsync();
                    fresh = true;
                    continue;
                }

                return new AssignOutcome(decided.Unchanged, decided.Refusal);
            }

            if (await WriteAsync(change, attempt))
            {
                if (change.After.Stage != JobStages.Boot)
                {
                    // Not handed out: the job ended instead (it had been cancelled).
                    await effects.DeliverAsync(change);
                    return new AssignOutcome(null, $"job ended instead with health {change.After.Health}");
                }

                return new AssignOutcome(change.After, null);
            }

            // The row moved under us (another activation wrote first): decide again from what it holds now.
            fresh = true;
            if (attempt > 0 && _job is not null && _job.Version == change.Before.Version)
            {
                // Nothing changed the job, so the fence refused: a retry of this consume request replaced it.
                return new AssignOutcome(null, "consume request superseded by a retry", Superseded: true);
            }
        }

        return new AssignOutcome(null, "job changed concurrently");
    }

    public async Task<bool> Release(string testbox, string leaseId, int attempt) =>
        (await RunAsync(job => Task.FromResult(JobTransitions.Release(job, testbox, leaseId, clock.GetUtcNow())), attempt)).Job is not null;

    public Task<JobUpdateOutcome> ChangeStage(string stage, string? testbox) =>
        RunAsync(job => Task.FromResult(JobTransitions.ChangeStage(job, stage, testbox, clock.GetUtcNow())));

    public Task<JobUpdateOutcome> Finish(string health, CrashReport? crash, string? testbox) =>
        RunAsync(async job => transitions.Finish(job, health, crash, testbox, clock.GetUtcNow(), await EndFactsAsync(job)));

    public Task<JobUpdateOutcome> Cancel() =>
        RunAsync(job => Task.FromResult(JobTransitions.Cancel(job, clock.GetUtcNow())));

    public async Task<bool> Expire()
    {
        var outcome = await RunAsync(async job => transitions.Expire(job, clock.GetUtcNow(), await EndFactsAsync(job)));
        if (outcome.Job is { } job)
        {
            logger.LogInformation("Job {JobId} passed its deadline: now in stage {Stage} (health {Health})", job.Id, job.Stage, job.Health);
        }

        return outcome.Job is not null;
    }

    public async Task<bool> HeartbeatLost()
    {
        var outcome = await RunAsync(async job =>
            transitions.HeartbeatLost(job, job.Testbox is { } testbox ? await testboxes.GetHeartbeatAsync(testbox) : null, clock.GetUtcNow(), await EndFactsAsync(job)));
        if (outcome.Job is { } ended)
        {
            logger.LogWarning("Job {JobId} crashed: testbox {Testbox} stopped heartbeating", ended.Id, ended.Testbox);
        }

        return outcome.Job is not null;
    }

    public async Task<bool> CloseForCluster(string reason) =>
        (await RunAsync(async job => JobTransitions.CloseForCluster(job, reason, clock.GetUtcNow(), await EndFactsAsync(job)))).Job is not null;

    public Task<JobUpdateOutcome> Renew(int seconds, string? testbox) =>
        RunAsync(job => Task.FromResult(transitions.Renew(job, seconds, testbox, clock.GetUtcNow())));

    public Task<JobUpdateOutcome> Report(Compat.Lkp.LkpReport report) =>
        RunAsync(job => Task.FromResult(JobTransitions.Report(job, report, clock.GetUtcNow())));

    public async Task WaitForChange(int knownVersion, TimeSpan maxWait)
    {
        // Never loads: this call interleaves with commands, and a load finishing after a command's write would put the
        // older row back as the grain's state. An unloaded grain just waits for its next change (or the time).
        if (_loaded && _job is { } job && job.Version > knownVersion)
        {
            return;
        }

        _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _changed.Task.WaitAsync(maxWait > TimeSpan.Zero ? maxWait : TimeSpan.Zero, clock);
        }
        catch (TimeoutException)
        {
            // Nothing changed here meanwhile: the watcher reads again anyway.
        }
    }

    /// <summary>
    /// Loads the job, asks <paramref name="decide"/> what the command does, writes it conditionally (fenced on a consume
    /// attempt when <paramref name="fenceAttempt"/> is positive) and delivers its effects. A write that finds the row
    /// moved, or the fence refused, answers a conflict naming the stage the job is in now.
    /// </summary>
    private async Task<JobUpdateOutcome> RunAsync(Func<JobRecord, Task<Transition>> decide, int fenceAttempt = 0)
    {
        await EnsureLoadedAsync();
        if (_job is null)
        {
            return new JobUpdateOutcome(null, null, NotFound: true);
        }

        var decided = await decide(_job);
        if (decided.Change is not { } change)
        {
            return new JobUpdateOutcome(decided.Unchanged, decided.Refusal, ConflictField: decided.RefusedField);
        }

        // A pending job can be handed out behind this grain's back (a queue's batched claim): when the write finds the row
        // moved, the command is decided again on the row as it is now, once or twice, as if it had arrived just now.
        for (var round = 1; !await WriteAsync(change, fenceAttempt); round++)
        {
            if (round == MaxDecisions || _job is null || _job.Version == change.Before.Version)
            {
                return new JobUpdateOutcome(null, $"job changed meanwhile; it is now in stage '{_job?.Stage}'");
            }

            decided = await decide(_job);
            if (decided.Change is not { } again)
            {
                return new JobUpdateOutcome(decided.Unchanged, decided.Refusal, ConflictField: decided.RefusedField);
            }

            change = again;
        }

        logger.LogDebug("Job {JobId}: {Events}", _job.Id, string.Join(", ", change.Events.Select(e => e.Event)));
        if (change.Effects.Count > 0)
        {
            await effects.DeliverAsync(change);
        }

        return new JobUpdateOutcome(_job, null);
    }

    /// <summary>
    /// Writes <paramref name="change"/> and makes it the grain's state when it landed. When the outcome is unknown (the
    /// database's answer was lost with its connection, or a shared commit was redone alone after its own commit had
    /// landed), the row decides: holding exactly the change, it landed; holding what the change started from, it did
    /// not, and the error stands; anything else means another writer came first. False leaves the row, re-read, as the
    /// grain's state.
    /// </summary>
    private async Task<bool> WriteAsync(JobChange change, int fenceAttempt)
    {
        Exception? unknown = null;
        try
        {
            if (await store.ApplyAsync(change, Now(), fenceAttempt))
            {
                _job = change.After;
                WakeWatchers();
                usage.Record(change.Before, change.After, change.Successor);
                metrics.Landed(change);
                return true;
            }
        }
        catch (Exception error)
        {
            unknown = error;
        }

        await ReloadAsync();
        if (_job == change.After)
        {
            logger.LogInformation("Job {JobId}: the answer to its write was lost, and the row shows it landed", change.After.Id);
            usage.Record(change.Before, change.After, change.Successor);
            metrics.Landed(change);
            return true;
        }

        if (unknown is not null && _job == change.Before)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unknown);
        }

        return false;
    }

    /// <summary>What an end needs from outside the job: its host's history since the last wipe, and an id for a successor.</summary>
    private async Task<EndFacts> EndFactsAsync(JobRecord job)
    {
        string? lifecycle = null;
        if (job is { Host: { } host, BootTime: { } boot } && job.Stage != JobStages.Finish)
        {
            var wipedAt = (await hosts.GetAsync(host)).WipedAt ?? 0;
            var touched = await hosts.ListJobsSinceAsync(host, wipedAt);
            lifecycle = HostLifecycleFormat.Format(new HostJob(job.Id, job.Testbox ?? string.Empty, boot, Now(), false, null, null), touched);
        }

        return new EndFacts(lifecycle, ids.Next());
    }

    /// <summary>
    /// Loads the row once, and again whenever the grain holds it pending: a queue hands pending jobs out with a batched
    /// claim that writes the row without this grain (see <see cref="Storage.JobClaimStore"/>), so a pending copy may be
    /// stale. Every other change of a job goes through here.
    /// </summary>
    private async Task EnsureLoadedAsync()
    {
        if (!_loaded || _job?.Stage == JobStages.Submit)
        {
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync()
    {
        _job = Id > 0 ? await store.GetAsync(Id) : null;
        _loaded = true;
        // The row may have moved under another writer (or a lost answer landed): watchers read it again.
        WakeWatchers();
    }

    private void WakeWatchers()
    {
        if (_changed is { } waiting)
        {
            _changed = null;
            waiting.TrySetResult();
        }
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
