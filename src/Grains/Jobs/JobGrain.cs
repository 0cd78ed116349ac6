using System.Text.Json.Nodes;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Testboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// One job. Its state is its <c>jobs</c> row, read on activation; every change is a single conditional
/// write on the row's version, so a stale or duplicate activation can never overwrite a newer truth.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class JobGrain(
    JobStore store,
    TestboxStore testboxes,
    JobSubmitter submitter,
    JobIdGenerator ids,
    ReschedulePolicy reschedule,
    HostStore hosts,
    TimeProvider clock,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<JobGrain> logger)
    : Grain, IJobGrain
{
    private JobRecord? _job;
    private bool _loaded;

    private long Id => long.TryParse(this.GetPrimaryKeyString(), out var id) ? id : 0;

    public async Task<JobRecord?> Get()
    {
        await EnsureLoadedAsync();
        return _job;
    }

    public async Task<AssignOutcome> Assign(string testbox, string leaseId, int attempt, string? host)
    {
        await EnsureLoadedAsync();
        for (var round = 0; round < 2; round++)
        {
            if (_job is null)
            {
                return new AssignOutcome(null, "no such job");
            }

            if (_job.Stage != JobStages.Submit)
            {
                return _job.LeaseId == leaseId && _job.Testbox == testbox
                    ? new AssignOutcome(_job, null)
                    : new AssignOutcome(null, $"job is in stage {_job.Stage}");
            }

            var assigned = _job with
            {
                Stage = JobStages.Boot,
                Testbox = testbox,
                Host = host,
                LeaseId = leaseId,
                BootTime = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                // Stage boot's deadline is the lease: unconfirmed by then, the job goes back to its queue.
                Deadline = (clock.GetUtcNow() + TimeSpan.FromSeconds(lifecycle.Value.LeaseSeconds)).ToUnixTimeMilliseconds(),
                Version = _job.Version + 1,
            };
            var before = _job;
            var leased = new JobEvent(assigned.BootTime!.Value, "leased", new JsonObject { ["testbox"] = testbox, ["lease_id"] = leaseId });
            if (await store.AssignAsync(assigned, _job.Version, attempt, leased))
            {
                _job = assigned;
                logger.LogDebug("Job {JobId} assigned to {Testbox}", assigned.Id, testbox);
                return new AssignOutcome(assigned, null);
            }

            // The row moved under us (another activation, or our own commit whose answer was lost): re-read and decide again.
            await ReloadAsync();
            if (attempt > 0 && _job is not null && _job.Version == before.Version)
            {
                // Nothing changed the job, so the fence refused: a retry of this consume request replaced it.
                return new AssignOutcome(null, "consume request superseded by a retry", Superseded: true);
            }
        }

        return new AssignOutcome(null, "job changed concurrently");
    }

    public async Task<bool> Release(string leaseId)
    {
        await EnsureLoadedAsync();
        if (_job is null || _job.Stage != JobStages.Boot || _job.LeaseId != leaseId)
        {
            return false;
        }

        var released = BackToQueue(_job);
        var change = new JobEvent(clock.GetUtcNow().ToUnixTimeMilliseconds(), "released", new JsonObject { ["reason"] = "the testbox hung up before the answer reached it" });
        if (!await store.UpdateAsync(released, _job.Version, change))
        {
            await ReloadAsync();
            return false;
        }

        _job = released;
        // Through the submitter, which also makes the queue known to every silo: after a restart it may not be.
        await submitter.EnqueueAsync(released);
        return true;
    }

    public async Task<JobUpdateOutcome> ChangeStage(string stage, string? testbox)
    {
        await EnsureLoadedAsync();
        if (Refuse(testbox) is { } refusal)
        {
            return refusal;
        }

        var job = _job!;
        if (job.CancelRequested)
        {
            return new JobUpdateOutcome(null, $"job was cancelled while in stage '{job.Stage}': abort it and finish it with health 'cancel'");
        }

        var check = StageTransitions.Check(job.Stage, stage);
        if (!check.IsAllowed)
        {
            return new JobUpdateOutcome(null, check.Reason);
        }

        var now = clock.GetUtcNow();
        var millis = now.ToUnixTimeMilliseconds();
        var deadline = StageDeadlines.DeadlineFor(stage, now, JobTimingReader.Read(job.Document))?.ToUnixTimeMilliseconds() ?? job.Deadline;
        var changed = job with
        {
            Stage = stage,
            RunningTime = stage == JobStages.Running ? millis : job.RunningTime,
            PostRunTime = stage == JobStages.PostRun ? millis : job.PostRunTime,
            ManualCheckTime = stage == JobStages.ManualCheck ? millis : job.ManualCheckTime,
            RenewTime = stage == JobStages.Renew ? millis : job.RenewTime,
            Deadline = deadline,
            Version = job.Version + 1,
        };
        return await WriteAsync(changed, new JobEvent(millis, "stage", new JsonObject { ["stage"] = stage, ["from"] = job.Stage }));
    }

    public async Task<JobUpdateOutcome> Finish(string health, string? crash, string? testbox)
    {
        await EnsureLoadedAsync();
        if (Refuse(testbox) is { } refusal)
        {
            return refusal;
        }

        var job = _job!;
        if (job.Stage == JobStages.Submit)
        {
            return new JobUpdateOutcome(null, "job is in stage 'submit': no testbox holds it yet, so none can finish it (cancel it instead)");
        }

        var check = StageTransitions.Check(job.Stage, JobStages.Finish);
        if (!check.IsAllowed)
        {
            return new JobUpdateOutcome(null, check.Reason);
        }

        var report = crash is null ? null : CrashReportReader.Read(JsonNode.Parse(crash)).Report ?? CrashReport.Unknown;
        return await EndAsync(job, health, report, "finished", new JsonObject());
    }

    public async Task<JobUpdateOutcome> Cancel()
    {
        await EnsureLoadedAsync();
        if (_job is null)
        {
            return new JobUpdateOutcome(null, null, NotFound: true);
        }

        var job = _job;
        var millis = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var decision = StageTransitions.Cancel(job.Stage);
        switch (decision.Action)
        {
            case CancelAction.FinishAsCancelled:
                var outcome = await WriteAsync(
                    job with { Stage = JobStages.Finish, Health = JobHealth.Cancel, FinishTime = millis, Deadline = null, Version = job.Version + 1 },
                    new JobEvent(millis, "cancelled", new JsonObject { ["from"] = job.Stage }));
                TellCluster(outcome);
                if (outcome.Job is not null)
                {
                    // Out of its queue at once; were this call lost, a later claim would be refused here anyway.
                    try
                    {
                        await GrainFactory.GetGrain<IQueueGrain>(job.QueueKey).Remove(job.Id);
                    }
                    catch (Exception error)
                    {
                        logger.LogWarning(error, "Cancelled job {JobId} stays in queue {QueueKey} until a claim drops it", job.Id, job.QueueKey);
                    }
                }

                return outcome;
            case CancelAction.MarkForAbort:
                if (job.CancelRequested)
                {
                    return new JobUpdateOutcome(job, null);
                }

                var marked = await WriteAsync(
                    job with { CancelRequested = true, Version = job.Version + 1 },
                    new JobEvent(millis, "cancel_requested", new JsonObject { ["stage"] = job.Stage, ["testbox"] = job.Testbox }));
                TellCluster(marked);
                return marked;
            default:
                return new JobUpdateOutcome(null, decision.Reason);
        }
    }

    public async Task<bool> Expire()
    {
        await EnsureLoadedAsync();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_job is not { Deadline: { } deadline } job || deadline >= now || !StageTransitions.IsActive(job.Stage))
        {
            return false;
        }

        if (job.Stage == JobStages.Boot)
        {
            var returned = BackToQueue(job);
            var outcome = await WriteAsync(returned, new JobEvent(now, "lease_expired", new JsonObject { ["testbox"] = job.Testbox, ["lease_id"] = job.LeaseId }));
            if (outcome.Job is null)
            {
                return false;
            }

            logger.LogInformation("Job {JobId} returned to {QueueKey}: testbox {Testbox} did not confirm within its lease", job.Id, job.QueueKey, job.Testbox);
            await submitter.EnqueueAsync(returned);
            return true;
        }

        var closed = await EndAsync(job, JobHealth.Timeout, CrashReport.DeadlineExceeded(job.Stage, deadline), "timeout", new JsonObject { ["deadline"] = deadline });
        return closed.Job is not null;
    }

    public async Task<bool> HeartbeatLost()
    {
        await EnsureLoadedAsync();
        if (_job is not { Testbox: { } testbox, BootTime: { } bootTime } job || !StageTransitions.IsActive(job.Stage) || job.Stage == JobStages.Boot)
        {
            return false;
        }

        // Checked again here, not trusted from the sweep: a heartbeat may have arrived since.
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (await testboxes.GetHeartbeatAsync(testbox) is not { } beat || beat.Deadline >= now || beat.Deadline <= bootTime)
        {
            return false;
        }

        var crash = CrashReport.HeartbeatLost(testbox, (now - beat.LastHeartbeat) / 1000);
        var ended = await EndAsync(job, JobHealth.Crash, crash, "heartbeat_lost", new JsonObject { ["last_heartbeat"] = beat.LastHeartbeat });
        if (ended.Job is not null)
        {
            logger.LogWarning("Job {JobId} crashed: testbox {Testbox} has not heartbeat for {Seconds} s", job.Id, testbox, (now - beat.LastHeartbeat) / 1000);
        }

        return ended.Job is not null;
    }

    public async Task<JobUpdateOutcome> Renew(int seconds, string? testbox)
    {
        await EnsureLoadedAsync();
        if (Refuse(testbox) is { } refusal)
        {
            return refusal;
        }

        var job = _job!;
        if (!StageTransitions.IsActive(job.Stage) || job.Stage == JobStages.Boot)
        {
            return new JobUpdateOutcome(null, $"job is in stage '{job.Stage}': only a confirmed, unfinished job can be renewed");
        }

        var now = clock.GetUtcNow();
        var current = job.Deadline is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : (DateTimeOffset?)null;
        var deadline = StageDeadlines.Renew(current, now, seconds).ToUnixTimeMilliseconds();
        return await WriteAsync(
            job with { Deadline = deadline, Version = job.Version + 1 },
            new JobEvent(now.ToUnixTimeMilliseconds(), "renewed", new JsonObject { ["seconds"] = seconds, ["deadline"] = deadline }));
    }

    /// <summary>
    /// Ends the job with <paramref name="health"/>. A crash is classified and the reschedule policy applied in the
    /// same transaction that ends it: the next attempt exists exactly when the crash record says so.
    /// </summary>
    private async Task<JobUpdateOutcome> EndAsync(JobRecord job, string health, CrashReport? crash, string eventName, JsonObject detail)
    {
        var millis = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var finished = job with
        {
            Stage = JobStages.Finish,
            Health = health,
            FinishTime = millis,
            Deadline = null,
            Crash = crash?.ToJson().ToJsonString(),
            HostLifecycle = await HostLifecycleAsync(job, millis),
            HostPending = job.Host is not null,
            Version = job.Version + 1,
        };
        detail["health"] = health;
        detail["from"] = job.Stage;
        RescheduleDecision? decision = null;
        if (crash is not null)
        {
            detail["crash"] = crash.ToJson();
            decision = job.ClusterId is null
                ? reschedule.Decide(crash, job.Attempt, MaxAttempts.Of(job.Document, reschedule.MaxAttempts))
                : new RescheduleDecision(false, "Not rescheduled: a node of a multi-node cluster does not run again alone; its cluster aborts.");
            detail["reschedule"] = decision.Reason;
        }

        JobUpdateOutcome outcome;
        JobRecord? successor = null;
        if (decision is { Reschedule: true })
        {
            successor = JobSuccessor.Of(job, ids.Next(), millis);
            finished = finished with { RescheduledAs = successor.Id };
            var rescheduled = new JobEvent(millis, "rescheduled", new JsonObject { ["as"] = successor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["attempt"] = successor.Attempt });
            if (await store.FinishAndRescheduleAsync(finished, job.Version, new JobEvent(millis, eventName, detail), rescheduled, successor))
            {
                _job = finished;
                outcome = new JobUpdateOutcome(finished, null);
                logger.LogInformation("Job {JobId} crashed (cause {Cause}); attempt {Attempt} is job {Successor}", job.Id, crash!.Cause, successor.Attempt, successor.Id);
            }
            else
            {
                await ReloadAsync();
                outcome = new JobUpdateOutcome(null, $"job changed meanwhile; it is now in stage '{_job?.Stage}'");
                successor = null;
            }
        }
        else
        {
            outcome = await WriteAsync(finished, new JobEvent(millis, eventName, detail));
        }

        if (outcome.Job is null)
        {
            return outcome;
        }

        if (successor is not null)
        {
            await submitter.EnqueueAsync(successor);
        }

        await TellHostAsync(outcome.Job);
        return TellCluster(outcome);
    }

    /// <summary>The job's <c>host_lifecycle</c> as it ends: the other jobs on its host since the last wipe.</summary>
    private async Task<string?> HostLifecycleAsync(JobRecord job, long endMillis)
    {
        if (job is not { Host: { } host, BootTime: { } boot })
        {
            return null;
        }

        var wipedAt = (await hosts.GetAsync(host)).WipedAt ?? 0;
        var touched = await hosts.ListJobsSinceAsync(host, wipedAt);
        var self = new HostJob(job.Id, job.Testbox ?? string.Empty, boot, endMillis, false, null, null);
        return HostLifecycleFormat.Format(self, touched);
    }

    /// <summary>Tells the job's host it ended (wipe, quarantine, release). A lost message is re-driven by the sweeper (host_pending).</summary>
    private async Task TellHostAsync(JobRecord job)
    {
        if (job.Host is not { } host)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IHostLifecycleGrain>(host).JobEnded(job.Id);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Host {Host} not told that job {JobId} ended", host, job.Id);
        }
    }

    public async Task<bool> CloseForCluster(string reason)
    {
        await EnsureLoadedAsync();
        if (_job is not { } job || job.Stage == JobStages.Finish)
        {
            return false;
        }

        var millis = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var closed = job with
        {
            Stage = JobStages.Finish,
            Health = JobHealth.Abort,
            FinishTime = millis,
            Deadline = null,
            CancelRequested = job.Stage != JobStages.Submit,
            HostLifecycle = await HostLifecycleAsync(job, millis),
            HostPending = job.Host is not null,
            Version = job.Version + 1,
        };
        var outcome = await WriteAsync(closed, new JobEvent(millis, "cluster_aborted", new JsonObject { ["from"] = job.Stage, ["reason"] = reason }));
        if (outcome.Job is not null)
        {
            await TellHostAsync(outcome.Job);
        }

        if (outcome.Job is not null && job.Stage == JobStages.Submit)
        {
            try
            {
                await GrainFactory.GetGrain<IQueueGrain>(job.QueueKey).Remove(job.Id);
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Closed node job {JobId} stays in queue {QueueKey} until a claim drops it", job.Id, job.QueueKey);
            }
        }

        return outcome.Job is not null;
    }

    /// <summary>
    /// A node job that ended or was cancelled makes its cluster reconcile (abort, or finish when all succeeded).
    /// Sent without waiting: the barrier then closes node jobs, possibly this one, which must not be waiting on it.
    /// Were the message lost, the sweeper's cluster reconcile finds the job in the table and does the same.
    /// </summary>
    private JobUpdateOutcome TellCluster(JobUpdateOutcome outcome)
    {
        if (outcome.Job is { ClusterId: { } cluster } job && (job.CancelRequested || (job.Stage == JobStages.Finish && job.Health != JobHealth.Abort)))
        {
            GrainFactory.GetGrain<IClusterBarrierGrain>(cluster.ToString(System.Globalization.CultureInfo.InvariantCulture)).Reconcile().Ignore();
        }

        return outcome;
    }

    private JobUpdateOutcome? Refuse(string? testbox)
    {
        if (_job is null)
        {
            return new JobUpdateOutcome(null, null, NotFound: true);
        }

        return testbox is not null && _job.Testbox != testbox && _job.Stage != JobStages.Submit
            ? new JobUpdateOutcome(null, $"job is held by testbox '{_job.Testbox}', not '{testbox}' (stage '{_job.Stage}')")
            : null;
    }

    private async Task<JobUpdateOutcome> WriteAsync(JobRecord changed, JobEvent change)
    {
        if (await store.UpdateAsync(changed, _job!.Version, change))
        {
            _job = changed;
            return new JobUpdateOutcome(changed, null);
        }

        // Someone changed the job first: report its current stage and let the caller decide again.
        await ReloadAsync();
        return new JobUpdateOutcome(null, $"job changed meanwhile; it is now in stage '{_job?.Stage}'");
    }

    private async Task EnsureLoadedAsync()
    {
        if (!_loaded)
        {
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync()
    {
        _job = Id > 0 ? await store.GetAsync(Id) : null;
        _loaded = true;
    }

    /// <summary>The job pending again, as it was before a testbox took it (the requested testbox, no lease).</summary>
    private static JobRecord BackToQueue(JobRecord job) => job with
    {
        Stage = JobStages.Submit,
        Testbox = JsonNode.Parse(job.Document)?["testbox"]?.GetValue<string>(),
        LeaseId = null,
        Host = null,
        BootTime = null,
        Deadline = null,
        Version = job.Version + 1,
    };
}
