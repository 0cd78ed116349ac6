using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.Lkp;
using CompassCi.Grains.Effects;
using CompassCi.Grains.Testboxes;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Every change a job's grain makes, as pure functions of (job, command, now): the new row, the events it appends
/// and the effects it causes, or a refusal. No I/O: what an end needs from outside (the host's history, an id for a
/// successor) comes in as <see cref="EndFacts"/>. The grain loads, asks here, writes conditionally and delivers.
/// </summary>
/// <remarks>
/// What a testbox reports (<see cref="ChangeStage"/>, <see cref="Finish"/>, <see cref="Renew"/>) moves the job only
/// along the moves <see cref="StageTransitions.Moves"/> gives the holder (<see cref="StageMover.Holder"/>), so a client
/// can never make the scheduler's own moves (hand a pending job out, end a job no testbox held). A job goes back to
/// its queue by one path, <see cref="ToQueue"/>, whoever sends it back: it is pending again and enqueued at once.
/// </remarks>
/// <param name="reschedule">Which crashes run again.</param>
/// <param name="lease">How long a testbox has to confirm a job it took.</param>
/// <param name="renewCeiling">
/// How far after its hand-out (its boot time) renewals may move a job's deadline; null for
/// <see cref="LifecycleOptions.DefaultRenewCeiling"/>.
/// </param>
public sealed class JobTransitions(ReschedulePolicy reschedule, TimeSpan lease, TimeSpan? renewCeiling = null)
{
    /// <summary>The event of a booting job whose lease ran out before its testbox confirmed it: it went back to its queue.</summary>
    public const string LeaseExpiredEvent = "lease_expired";

    private readonly TimeSpan _renewCeiling = renewCeiling ?? LifecycleOptions.DefaultRenewCeiling;

    /// <summary>Hands a pending job to a testbox under a lease; the same lease asking again gets the job as it is.</summary>
    public Transition Assign(JobRecord job, string testbox, string leaseId, string? host, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Stage != JobStages.Submit)
        {
            return job.LeaseId == leaseId && job.Testbox == testbox
                ? Transition.Keep(job)
                : Transition.Refuse($"job is in stage {job.Stage}");
        }

        if (job.CancelRequested)
        {
            // Left pending with a cancel by an older version: it ends now instead of being handed out.
            return EndCancelled(job, now, new EndFacts(null, 0), "it was waiting in its queue");
        }

        var terms = LeaseFor(testbox, leaseId, now);
        var assigned = job with
        {
            Stage = JobStages.Boot,
            Testbox = testbox,
            Host = host,
            LeaseId = leaseId,
            BootTime = terms.BootTime,
            Deadline = terms.Deadline,
            Version = job.Version + 1,
        };
        return Change(job, assigned, [terms.Entry]);
    }

    /// <summary>
    /// What handing a pending job to <paramref name="testbox"/> writes besides the stage, testbox, host and lease: its boot
    /// time, its deadline and its history entry. The same for every job, so a queue's batched claim writes it without
    /// loading the job (see <see cref="Storage.JobClaimStore"/>).
    /// </summary>
    public JobLease LeaseFor(string testbox, string leaseId, DateTimeOffset now) =>
        // Stage boot's deadline is the lease: unconfirmed by then, the job goes back to its queue.
        new(Millis(now), Millis(now + lease), Event(now, "leased", new JsonObject { ["testbox"] = testbox, ["lease_id"] = leaseId }));

    /// <summary>
    /// Gives back a job whose hand-over never reached its testbox: only the testbox and lease that hold it may, and only
    /// before it is confirmed. Lease ids are request ids, which only name a request together with their testbox.
    /// </summary>
    public static Transition Release(JobRecord job, string testbox, string leaseId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Stage != JobStages.Boot || job.LeaseId != leaseId || job.Testbox != testbox)
        {
            return Transition.Refuse($"job is in stage '{job.Stage}' under another lease; only the lease that holds an unconfirmed job can release it");
        }

        return ToQueue(job, now, "released", new JsonObject { ["reason"] = "the testbox hung up before the answer reached it" });
    }

    /// <summary>
    /// Moves a held job along the moves its testbox may make, recording the stage time and its new deadline. Going back
    /// to <c>submit</c> is the testbox giving an unconfirmed job back: it goes back to its queue at once (<see cref="ToQueue"/>).
    /// </summary>
    public static Transition ChangeStage(JobRecord job, string stage, string? testbox, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(stage);
        if (NotHolder(job, testbox) is { } refusal)
        {
            return refusal;
        }

        if (job.CancelRequested)
        {
            return Transition.Refuse($"job was cancelled while in stage '{job.Stage}': abort it and finish it with health 'cancel'");
        }

        var check = StageTransitions.Check(job.Stage, stage, StageMover.Holder);
        if (!check.IsAllowed)
        {
            return Transition.Refuse(check.Reason);
        }

        if (stage == JobStages.Submit)
        {
            return ToQueue(job, now, "released", new JsonObject { ["reason"] = "its testbox gave it back", ["testbox"] = job.Testbox });
        }

        var millis = Millis(now);
        var changed = job with
        {
            Stage = stage,
            RunningTime = stage == JobStages.Running ? millis : job.RunningTime,
            PostRunTime = stage == JobStages.PostRun ? millis : job.PostRunTime,
            ManualCheckTime = stage == JobStages.ManualCheck ? millis : job.ManualCheckTime,
            RenewTime = stage == JobStages.Renew ? millis : job.RenewTime,
            Deadline = StageDeadlines.DeadlineFor(stage, now, JobTimingReader.Read(job.Document))?.ToUnixTimeMilliseconds() ?? job.Deadline,
            Version = job.Version + 1,
        };
        return Change(job, changed, [Event(now, "stage", new JsonObject { ["stage"] = stage, ["from"] = job.Stage })]);
    }

    /// <summary>
    /// Records what an lkp testbox reports on the job it holds (compass-ci's append-var, set-job-stage, report-job-step,
    /// report_ssh_port): a stage move along the holder's moves (<see cref="ChangeStage"/>; a repeat of the stage the job
    /// is in is no move), the health a finish word stands for (noted, not ended: <c>lkp-post-run</c> ends the job), and
    /// its variables. One write, one <c>reported</c> event (after the <c>stage</c> event of a move). A job no testbox
    /// holds (submit), an ended one, or one cancelled meanwhile is refused.
    /// </summary>
    public static Transition Report(JobRecord job, LkpReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(report);
        if (!JobStages.IsActive(job.Stage))
        {
            return Transition.Refuse(job.Stage == JobStages.Finish
                ? "job is in stage 'finish'; it has ended and takes no more reports"
                : $"job is in stage '{job.Stage}': no testbox holds it, so none can report on it");
        }

        if (job.CancelRequested)
        {
            return Transition.Refuse($"job was cancelled while in stage '{job.Stage}': abort it and finish it with health 'cancel'");
        }

        var moved = job;
        List<JobHistoryEntry> events = [];
        if (report.Stage is { } stage && !(stage == job.Stage && !StageTransitions.Check(job.Stage, stage).IsAllowed))
        {
            var move = ChangeStage(job, stage, null, now);
            if (move.Change is not { } change)
            {
                return move;
            }

            moved = change.After;
            events.AddRange(change.Events);
        }

        if (moved == job && report.NotedHealth is null && report.Vars.Count == 0)
        {
            return Transition.Keep(job);
        }

        var detail = new JsonObject();
        foreach (var (name, value) in report.Vars)
        {
            detail[name] = LkpVars.Value(name, value);
        }

        if (report.NotedHealth is { } noted)
        {
            detail["noted_health"] = noted;
        }

        events.Add(Event(now, "reported", detail));
        var reported = moved with
        {
            NotedHealth = report.NotedHealth ?? job.NotedHealth,
            LkpVars = LkpVars.Merge(job.LkpVars, report.Vars),
            Version = job.Version + 1,
        };
        return Change(job, reported, events);
    }

    /// <summary>Ends a held job with the health (and crash) its testbox reports.</summary>
    public Transition Finish(JobRecord job, string health, CrashReport? crash, string? testbox, DateTimeOffset now, EndFacts facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (NotHolder(job, testbox) is { } refusal)
        {
            return refusal;
        }

        if (job.Stage == JobStages.Submit)
        {
            return Transition.Refuse("job is in stage 'submit': no testbox holds it yet, so none can finish it (cancel it instead)");
        }

        var check = StageTransitions.Check(job.Stage, JobStages.Finish, StageMover.Holder);
        return check.IsAllowed
            ? End(job, health, crash, "finished", [], now, facts)
            : Transition.Refuse(check.Reason);
    }

    /// <summary>
    /// Cancels a job: a pending one ends at once (health <c>cancel</c>) and leaves its queue; a held one is marked so its
    /// testbox aborts on its next call (marking twice changes nothing); an ended one is refused.
    /// </summary>
    public static Transition Cancel(JobRecord job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var decision = StageTransitions.Cancel(job.Stage);
        switch (decision.Action)
        {
            case CancelAction.FinishAsCancelled:
                var cancelled = job with { Stage = JobStages.Finish, Health = JobHealth.Cancel, FinishTime = Millis(now), Deadline = null, Version = job.Version + 1 };
                return Change(job, cancelled, [Event(now, "cancelled", new JsonObject { ["from"] = job.Stage })], [new JobEffect(JobEffectKinds.Dequeue, job.QueueKey), .. ClusterEffect(job)]);
            case CancelAction.MarkForAbort when job.CancelRequested:
                return Transition.Keep(job);
            case CancelAction.MarkForAbort:
                var marked = job with { CancelRequested = true, Version = job.Version + 1 };
                return Change(job, marked, [Event(now, "cancel_requested", new JsonObject { ["stage"] = job.Stage, ["testbox"] = job.Testbox })], ClusterEffect(job));
            default:
                return Transition.Refuse(decision.Reason);
        }
    }

    /// <summary>
    /// Acts on a passed deadline: an unconfirmed lease (stage boot) goes back to its queue; any other active stage ends
    /// with health <c>timeout</c>. Refused when the deadline has not passed or was moved.
    /// </summary>
    public Transition Expire(JobRecord job, DateTimeOffset now, EndFacts facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Deadline is not { } deadline || deadline >= Millis(now) || !JobStages.IsActive(job.Stage))
        {
            return Transition.Refuse($"job is in stage '{job.Stage}' and not past a deadline");
        }

        if (job.CancelRequested)
        {
            return EndCancelled(job, now, facts, job.Stage == JobStages.Boot
                ? "its testbox never confirmed it before the lease ended"
                : $"its testbox did not end it by the deadline of stage '{job.Stage}'");
        }

        if (job.Stage == JobStages.Boot)
        {
            return ToQueue(job, now, LeaseExpiredEvent, new JsonObject { ["testbox"] = job.Testbox, ["lease_id"] = job.LeaseId });
        }

        return End(job, JobHealth.Timeout, SchedulerCrashes.DeadlineExceeded(job.Stage, deadline), "timeout", new JsonObject { ["deadline"] = deadline }, now, facts);
    }

    /// <summary>
    /// Acts on a silent testbox: when the testbox holding this confirmed job has missed its heartbeats (its
    /// <paramref name="heartbeat"/> is silent on the database's clock, and it was beating after it took the job), the
    /// job crashes with cause <c>testbox</c>. Refused otherwise (a heartbeat may have arrived since the sweep looked).
    /// </summary>
    public Transition HeartbeatLost(JobRecord job, TestboxHeartbeat? heartbeat, DateTimeOffset now, EndFacts facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job is not { Testbox: { } testbox, BootTime: not null } || !JobStages.IsActive(job.Stage) || job.Stage == JobStages.Boot)
        {
            return Transition.Refuse($"job is in stage '{job.Stage}': no confirmed testbox holds it");
        }

        // Only a box that beat while holding the job is judged by its silence: one that stopped beating before it took
        // the job is watched by the job's lease and deadlines. (Judged by what the heartbeat's own statement saw, not by
        // comparing times: the boot time is stamped on its grain's silo clock, the heartbeat on the database's.)
        if (heartbeat is not { Silent: true } beat || beat.HeldAtBeat?.Contains(job.Id) != true)
        {
            return Transition.Refuse($"testbox '{testbox}' has not missed its heartbeats");
        }

        if (job.CancelRequested)
        {
            return EndCancelled(job, now, facts, $"its testbox '{testbox}' stopped heartbeating before it ended the job");
        }

        var crash = SchedulerCrashes.HeartbeatLost(testbox, beat.SilentMillis / 1000);
        return End(job, JobHealth.Crash, crash, "heartbeat_lost", new JsonObject { ["last_heartbeat"] = beat.LastHeartbeat }, now, facts);
    }

    /// <summary>
    /// Ends a node job because its cluster aborted: health <c>abort</c>; a held one is also marked for abort (its testbox
    /// learns it on its next call), a pending one leaves its queue. Its own cluster is not told again.
    /// </summary>
    public static Transition CloseForCluster(JobRecord job, string reason, DateTimeOffset now, EndFacts facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(facts);
        if (job.Stage == JobStages.Finish)
        {
            return Transition.Refuse("job is in stage 'finish'; it has already ended");
        }

        var closed = job with
        {
            Stage = JobStages.Finish,
            Health = JobHealth.Abort,
            FinishTime = Millis(now),
            Deadline = null,
            CancelRequested = job.Stage != JobStages.Submit,
            HostLifecycle = facts.HostLifecycle,
            Version = job.Version + 1,
        };
        List<JobEffect> effects = [.. HostEffect(job)];
        if (job.Stage == JobStages.Submit)
        {
            effects.Add(new JobEffect(JobEffectKinds.Dequeue, job.QueueKey));
        }

        return Change(job, closed, [Event(now, "cluster_aborted", new JsonObject { ["from"] = job.Stage, ["reason"] = reason })], effects);
    }

    /// <summary>
    /// Extends the deadline of a confirmed, unfinished job by <paramref name="seconds"/>, from the later of its deadline
    /// and now, but never past the renew ceiling (its boot time plus <c>Lifecycle:RenewCeiling</c>): repeated renewals
    /// cannot hold a testbox for ever. A renewal that would pass it is refused naming <c>seconds</c> and what still fits.
    /// </summary>
    public Transition Renew(JobRecord job, int seconds, string? testbox, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (NotHolder(job, testbox) is { } refusal)
        {
            return refusal;
        }

        if (!JobStages.IsActive(job.Stage) || job.Stage == JobStages.Boot)
        {
            return Transition.Refuse($"job is in stage '{job.Stage}': only a confirmed, unfinished job can be renewed");
        }

        var current = job.Deadline is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : (DateTimeOffset?)null;
        var handedOut = job.BootTime is { } boot ? DateTimeOffset.FromUnixTimeMilliseconds(boot) : now;
        var ceiling = handedOut + _renewCeiling;
        var renewed = StageDeadlines.Renew(current, now, seconds);
        if (renewed > ceiling)
        {
            var room = (long)Math.Max(0, Math.Floor((ceiling - (current is { } c && c > now ? c : now)).TotalSeconds));
            return Transition.Refuse(
                string.Create(CultureInfo.InvariantCulture, $"{seconds} more seconds would move the deadline to {renewed:yyyy-MM-dd'T'HH:mm:ss.fffzzz}, past the job's renew ceiling {ceiling:yyyy-MM-dd'T'HH:mm:ss.fffzzz} ({LifecycleOptions.Section}:RenewCeiling, {_renewCeiling:c} after it was handed out at {handedOut:yyyy-MM-dd'T'HH:mm:ss.fffzzz}); at most {room} more seconds fit"),
                "seconds");
        }

        var deadline = renewed.ToUnixTimeMilliseconds();
        return Change(job, job with { Deadline = deadline, Version = job.Version + 1 }, [Event(now, "renewed", new JsonObject { ["seconds"] = seconds, ["deadline"] = deadline })]);
    }

    /// <summary>
    /// Ends the job with <paramref name="health"/>. A crash is classified and the reschedule policy applied in the same
    /// change: the next attempt is stored exactly when the crash record says so. The end tells the job's host and, for
    /// a node job that did not end by its cluster's abort, its cluster.
    /// </summary>
    private Transition End(JobRecord job, string health, CrashReport? crash, string eventName, JsonObject detail, DateTimeOffset now, EndFacts facts)
    {
        var millis = Millis(now);
        var finished = job with
        {
            Stage = JobStages.Finish,
            Health = health,
            FinishTime = millis,
            Deadline = null,
            Crash = crash,
            HostLifecycle = facts.HostLifecycle,
            Version = job.Version + 1,
        };
        detail["health"] = health;
        detail["from"] = job.Stage;
        List<JobHistoryEntry> events = [];
        List<JobEffect> effects = [.. HostEffect(job)];
        JobRecord? successor = null;
        if (crash is not null)
        {
            detail["crash"] = CrashReportJson.ToJson(crash);
            var decision = job.CancelRequested
                ? new RescheduleDecision(false, "Not rescheduled: the job was cancelled.")
                : job.ClusterId is null
                    ? reschedule.Decide(crash, job.Attempt, MaxAttempts.Of(job.Document, reschedule.MaxAttempts))
                    : new RescheduleDecision(false, "Not rescheduled: a node of a multi-node cluster does not run again alone; its cluster aborts.");
            detail["reschedule"] = decision.Reason;
            if (decision.Reschedule)
            {
                successor = JobSuccessor.Of(job, facts.SuccessorId, millis);
                finished = finished with { RescheduledAs = successor.Id };
                effects.Add(new JobEffect(JobEffectKinds.Enqueue, successor.QueueKey, successor.Id));
            }
        }

        events.Add(Event(now, eventName, detail));
        if (successor is not null)
        {
            events.Add(Event(now, "rescheduled", new JsonObject { ["as"] = successor.Id.ToString(CultureInfo.InvariantCulture), ["attempt"] = successor.Attempt }));
        }

        if (health != JobHealth.Abort)
        {
            effects.AddRange(ClusterEffect(job));
        }

        effects.AddRange(ResultsEffect(job, finished));
        return Transition.Write(new JobChange(job, finished, events, effects, successor));
    }

    /// <summary>
    /// Ends a job whose cancel could not reach its testbox (the lease ended, the testbox fell silent or overran): the
    /// cancel is final, so the job ends with health <c>cancel</c> and is neither queued again nor rescheduled.
    /// </summary>
    private static Transition EndCancelled(JobRecord job, DateTimeOffset now, EndFacts facts, string why)
    {
        var cancelled = job with
        {
            Stage = JobStages.Finish,
            Health = JobHealth.Cancel,
            FinishTime = Millis(now),
            Deadline = null,
            HostLifecycle = facts.HostLifecycle,
            Version = job.Version + 1,
        };
        var detail = new JsonObject { ["from"] = job.Stage, ["reason"] = $"cancel requested; {why}" };
        return Change(job, cancelled, [Event(now, "cancelled", detail)], [.. HostEffect(job), .. ClusterEffect(job)]);
    }

    /// <summary>Refuses an update that names a testbox other than the holder; an unknown testbox may not act for it.</summary>
    private static Transition? NotHolder(JobRecord job, string? testbox) =>
        testbox is not null && job.Testbox != testbox && job.Stage != JobStages.Submit
            ? Transition.Refuse($"job is held by testbox '{job.Testbox}', not '{testbox}' (stage '{job.Stage}')")
            : null;

    /// <summary>
    /// The one way back to the queue (a lease that ended unconfirmed, a hang-up on the consume's answer, a testbox giving
    /// its job back): the job is pending again and the same write records an effect that puts it in its queue's memory
    /// at once, whatever its age, rather than leaving it to be found by the queue's reconcile.
    /// </summary>
    private static Transition ToQueue(JobRecord job, DateTimeOffset now, string eventName, JsonObject detail) =>
        Change(job, BackToQueue(job, now), [Event(now, eventName, detail)], [new JobEffect(JobEffectKinds.Enqueue, job.QueueKey)]);

    /// <summary>The job pending again, as it was before a testbox took it (the requested testbox, no lease), queued from now.</summary>
    private static JobRecord BackToQueue(JobRecord job, DateTimeOffset now) => job with
    {
        Stage = JobStages.Submit,
        QueuedAt = Millis(now),
        Testbox = JsonNode.Parse(job.Document)?["testbox"]?.GetValue<string>(),
        LeaseId = null,
        Host = null,
        BootTime = null,
        Deadline = null,
        Version = job.Version + 1,
    };

    private static IEnumerable<JobEffect> HostEffect(JobRecord job) =>
        job.Host is { } host ? [new JobEffect(JobEffectKinds.HostJobEnded, host)] : [];

    private static IEnumerable<JobEffect> ClusterEffect(JobRecord job) =>
        job.ClusterId is { } cluster ? [new JobEffect(JobEffectKinds.ClusterReconcile, cluster.ToString(CultureInfo.InvariantCulture))] : [];

    private static Transition Change(JobRecord before, JobRecord after, IReadOnlyList<JobHistoryEntry> events, IEnumerable<JobEffect>? effects = null) =>
        Transition.Write(new JobChange(before, after, events, [.. effects ?? [], .. ResultsEffect(before, after)]));

    /// <summary>
    /// Every end of a job a testbox took (finished, crashed, timed out, cancelled or aborted while held) records the
    /// effect that runs its results pipeline, in the same write: no ended job is left without extraction and plugins.
    /// A job that ends before any testbox took it has no results.
    /// </summary>
    private static IEnumerable<JobEffect> ResultsEffect(JobRecord before, JobRecord after) =>
        after.Stage == JobStages.Finish && before.Stage != JobStages.Finish && before.BootTime is not null
            ? [new JobEffect(JobEffectKinds.Extract, after.Id.ToString(CultureInfo.InvariantCulture))]
            : [];

    private static JobHistoryEntry Event(DateTimeOffset now, string name, JsonObject? detail) => new(Millis(now), name, detail);

    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
