using System.Text.Json.Nodes;
using CompassCi.Grains.Effects;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Testboxes;

namespace CompassCi.Tests.Unit.Lifecycle;

/// <summary>Every change a job's grain makes, computed without a database: the row after, its events, its effects, or why not.</summary>
public sealed class JobTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();
    private static readonly JobTransitions Transitions = new(new ReschedulePolicy(), TimeSpan.FromMinutes(5));
    private static readonly EndFacts Facts = new("h1: 41 42 [43]", SuccessorId: 99);

    private static JobRecord Pending(string document = """{"suite": "ebizzy", "my_account": "a", "testbox": "vm-2p8g--1"}""") => new()
    {
        Id = 43,
        SubmitTime = NowMs - 60_000,
        Account = "a",
        Suite = "ebizzy",
        TboxGroup = "vm-2p8g",
        Testbox = "vm-2p8g--1",
        QueueKey = "tbox_group=vm-2p8g,testbox=vm-2p8g--1",
        Stage = JobStages.Submit,
        Priority = 5,
        MemoryMb = 1024,
        Version = 1,
        Document = document,
    };

    private static JobRecord Booted() => Pending() with
    {
        Stage = JobStages.Boot,
        Testbox = "vm-2p8g--1",
        Host = "h1",
        LeaseId = "lease-1",
        BootTime = NowMs - 30_000,
        Deadline = NowMs + 270_000,
        Version = 2,
    };

    private static JobRecord Running() => Booted() with { Stage = JobStages.Running, RunningTime = NowMs - 20_000, Deadline = NowMs + 3_600_000, Version = 3 };

    private static JobChange Written(Transition transition)
    {
        Assert.Null(transition.Refusal);
        return Assert.IsType<JobChange>(transition.Change);
    }

    private static string Refused(Transition transition)
    {
        Assert.Null(transition.Change);
        Assert.Null(transition.Unchanged);
        return Assert.IsType<string>(transition.Refusal);
    }

    private static string[] Kinds(JobChange change) => [.. change.Effects.Select(e => e.Kind)];

    private static string[] EventNames(JobChange change) => [.. change.Events.Select(e => e.Event)];

    [Fact]
    public void Assign_hands_a_pending_job_to_the_testbox_under_a_lease_that_ends_with_the_lease_time()
    {
        var change = Written(Transitions.Assign(Pending(), "vm-2p8g--1", "lease-1", "h1", Now));

        Assert.Equal(JobStages.Boot, change.After.Stage);
        Assert.Equal(("vm-2p8g--1", "h1", "lease-1"), (change.After.Testbox, change.After.Host, change.After.LeaseId));
        Assert.Equal(NowMs, change.After.BootTime);
        Assert.Equal(NowMs + 300_000, change.After.Deadline);
        Assert.Equal(2, change.After.Version);
        Assert.Equal(["leased"], EventNames(change));
        Assert.Empty(change.Effects);
    }

    [Fact]
    public void Assign_again_under_the_same_lease_keeps_the_job_and_another_lease_is_refused()
    {
        var booted = Booted();

        Assert.Same(booted, Transitions.Assign(booted, "vm-2p8g--1", "lease-1", "h1", Now).Unchanged);
        Assert.Equal("job is in stage boot", Refused(Transitions.Assign(booted, "vm-2p8g--2", "lease-2", "h1", Now)));
    }

    [Fact]
    public void Release_puts_an_unconfirmed_job_back_as_submitted_and_enqueues_it()
    {
        var change = Written(JobTransitions.Release(Booted(), "vm-2p8g--1", "lease-1", Now));

        Assert.Equal(JobStages.Submit, change.After.Stage);
        Assert.Equal("vm-2p8g--1", change.After.Testbox);
        Assert.Null(change.After.LeaseId);
        Assert.Null(change.After.Host);
        Assert.Null(change.After.Deadline);
        Assert.Equal(["released"], EventNames(change));
        Assert.Equal(new JobEffect(JobEffectKinds.Enqueue, Pending().QueueKey), Assert.Single(change.Effects));
    }

    [Fact]
    public void Release_by_another_lease_or_of_a_confirmed_job_is_refused()
    {
        Refused(JobTransitions.Release(Booted(), "vm-2p8g--1", "lease-2", Now));
        Refused(JobTransitions.Release(Running(), "vm-2p8g--1", "lease-1", Now));
    }

    [Fact]
    public void ChangeStage_records_the_stage_time_and_the_stage_deadline()
    {
        var change = Written(JobTransitions.ChangeStage(Booted(), JobStages.Running, "vm-2p8g--1", Now));

        Assert.Equal(JobStages.Running, change.After.Stage);
        Assert.Equal(NowMs, change.After.RunningTime);
        Assert.Equal(StageDeadlines.DeadlineFor(JobStages.Running, Now, JobTimingReader.Read(Booted().Document))!.Value.ToUnixTimeMilliseconds(), change.After.Deadline);
        Assert.Equal(["stage"], EventNames(change));
        Assert.Equal("boot", change.Events[0].Detail!["from"]!.GetValue<string>());
    }

    [Fact]
    public void ChangeStage_is_refused_to_another_testbox_after_a_cancel_and_against_the_table()
    {
        Assert.Contains("held by testbox 'vm-2p8g--1', not 'vm-2p8g--9'", Refused(JobTransitions.ChangeStage(Booted(), JobStages.Running, "vm-2p8g--9", Now)), StringComparison.Ordinal);
        Assert.Contains("cancelled", Refused(JobTransitions.ChangeStage(Running() with { CancelRequested = true }, JobStages.PostRun, null, Now)), StringComparison.Ordinal);
        Assert.Contains("job is in stage 'running'; it cannot go to 'boot'", Refused(JobTransitions.ChangeStage(Running(), JobStages.Boot, null, Now)), StringComparison.Ordinal);
    }

    [Fact]
    public void Finish_ends_the_job_with_its_host_lifecycle_and_tells_its_host()
    {
        var change = Written(Transitions.Finish(Running(), JobHealth.Success, null, "vm-2p8g--1", Now, Facts));

        Assert.Equal((JobStages.Finish, JobHealth.Success), (change.After.Stage, change.After.Health));
        Assert.Equal(NowMs, change.After.FinishTime);
        Assert.Null(change.After.Deadline);
        Assert.Equal(Facts.HostLifecycle, change.After.HostLifecycle);
        Assert.Null(change.Successor);
        Assert.Equal(["finished"], EventNames(change));
        Assert.Equal([new JobEffect(JobEffectKinds.HostJobEnded, "h1"), new JobEffect(JobEffectKinds.Extract, "43")], change.Effects);
    }

    [Fact]
    public void Finish_as_a_retried_crash_stores_the_next_attempt_in_the_same_change_and_enqueues_it()
    {
        var crash = new CrashReport(CrashNotify.Lab, CrashCause.Network, false, new Dictionary<string, string>());

        var change = Written(Transitions.Finish(Running(), JobHealth.Crash, crash, null, Now, Facts));

        var successor = Assert.IsType<JobRecord>(change.Successor);
        Assert.Equal((99L, 2, 43L), (successor.Id, successor.Attempt, successor.RescheduledFrom!.Value));
        Assert.Equal(JobStages.Submit, successor.Stage);
        Assert.Equal(99, change.After.RescheduledAs);
        Assert.Equal(crash, change.After.Crash);
        Assert.Equal(["finished", "rescheduled"], EventNames(change));
        Assert.StartsWith("Rescheduled as attempt 2 of 3", change.Events[0].Detail!["reschedule"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([JobEffectKinds.HostJobEnded, JobEffectKinds.Enqueue, JobEffectKinds.Extract], Kinds(change));
        Assert.Equal(99, change.Effects[1].Subject);
    }

    [Fact]
    public void Finish_as_a_crash_of_a_cluster_node_is_not_rescheduled_and_tells_its_cluster()
    {
        var crash = new CrashReport(CrashNotify.Lab, CrashCause.Testbox, false, new Dictionary<string, string>());

        var change = Written(Transitions.Finish(Running() with { ClusterId = 40 }, JobHealth.Crash, crash, null, Now, Facts));

        Assert.Null(change.Successor);
        Assert.Null(change.After.RescheduledAs);
        Assert.Equal([JobEffectKinds.HostJobEnded, JobEffectKinds.ClusterReconcile, JobEffectKinds.Extract], Kinds(change));
        Assert.Equal("40", change.Effects[1].Target);
    }

    [Fact]
    public void Finish_of_a_pending_job_or_by_another_testbox_is_refused()
    {
        Assert.Contains("cancel it instead", Refused(Transitions.Finish(Pending(), JobHealth.Success, null, null, Now, Facts)), StringComparison.Ordinal);
        Refused(Transitions.Finish(Running(), JobHealth.Success, null, "vm-2p8g--9", Now, Facts));
        Refused(Transitions.Finish(Running() with { Stage = JobStages.Finish }, JobHealth.Success, null, null, Now, Facts));
    }

    [Fact]
    public void Cancel_of_a_pending_job_ends_it_and_takes_it_out_of_its_queue()
    {
        var change = Written(JobTransitions.Cancel(Pending() with { ClusterId = 40 }, Now));

        Assert.Equal((JobStages.Finish, JobHealth.Cancel), (change.After.Stage, change.After.Health));
        Assert.Equal(["cancelled"], EventNames(change));
        Assert.Equal([JobEffectKinds.Dequeue, JobEffectKinds.ClusterReconcile], Kinds(change));
    }

    [Fact]
    public void Cancel_of_a_held_job_marks_it_once_and_an_ended_job_is_refused()
    {
        var change = Written(JobTransitions.Cancel(Running(), Now));
        Assert.True(change.After.CancelRequested);
        Assert.Equal(JobStages.Running, change.After.Stage);
        Assert.Equal(["cancel_requested"], EventNames(change));
        Assert.Empty(change.Effects);

        Assert.Same(change.After, JobTransitions.Cancel(change.After, Now).Unchanged);
        Assert.Contains("already ended", Refused(JobTransitions.Cancel(Running() with { Stage = JobStages.Finish }, Now)), StringComparison.Ordinal);
    }

    [Fact]
    public void Expire_returns_an_unconfirmed_lease_to_its_queue()
    {
        var change = Written(Transitions.Expire(Booted() with { Deadline = NowMs - 1 }, Now, Facts));

        Assert.Equal(JobStages.Submit, change.After.Stage);
        Assert.Equal(["lease_expired"], EventNames(change));
        Assert.Equal([JobEffectKinds.Enqueue], Kinds(change));
    }

    [Fact]
    public void Expire_ends_a_confirmed_job_past_its_deadline_as_a_task_timeout_that_is_not_retried()
    {
        var change = Written(Transitions.Expire(Running() with { Deadline = NowMs - 1 }, Now, Facts));

        Assert.Equal(JobHealth.Timeout, change.After.Health);
        Assert.Equal((CrashNotify.Task, CrashCause.Task, "deadline_exceeded"), (change.After.Crash!.Notify, change.After.Crash.Cause, change.After.Crash.Keyvals[CrashReport.ReasonKey]));
        Assert.Null(change.Successor);
        Assert.Equal(["timeout"], EventNames(change));
        Assert.Equal([JobEffectKinds.HostJobEnded, JobEffectKinds.Extract], Kinds(change));
    }

    [Fact]
    public void Expire_before_the_deadline_or_of_an_idle_job_is_refused()
    {
        Refused(Transitions.Expire(Running(), Now, Facts));
        Refused(Transitions.Expire(Pending() with { Deadline = NowMs - 1 }, Now, Facts));
    }

    [Fact]
    public void HeartbeatLost_crashes_the_job_of_a_testbox_that_beat_after_taking_it_and_then_fell_silent()
    {
        var beat = new TestboxHeartbeat("vm-2p8g--1", NowMs - 200_000, 60, NowMs - 20_000, Silent: true, SilentMillis: 200_000, HeldAtBeat: [43]);

        var change = Written(Transitions.HeartbeatLost(Running(), beat, Now, Facts));

        Assert.Equal(JobHealth.Crash, change.After.Health);
        Assert.Equal(("testbox", "heartbeat_lost", "200"), (change.After.Crash!.Cause, change.After.Crash.Keyvals[CrashReport.ReasonKey], change.After.Crash.Keyvals["silent_seconds"]));
        Assert.Equal(["heartbeat_lost", "rescheduled"], EventNames(change));
        Assert.NotNull(change.Successor);
    }

    [Fact]
    public void HeartbeatLost_judges_a_box_that_beat_while_holding_the_job_whatever_the_clock_of_the_silo_that_stamped_its_boot()
    {
        // Booted by a silo whose clock ran ten minutes ahead: its boot time is after the box's (database-clock) deadline.
        var skewed = Running() with { BootTime = NowMs + 600_000 };
        var beat = new TestboxHeartbeat("vm-2p8g--1", NowMs - 200_000, 60, NowMs - 20_000, Silent: true, SilentMillis: 200_000, HeldAtBeat: [41, 43]);
        Assert.Equal(JobHealth.Crash, Written(Transitions.HeartbeatLost(skewed, beat, Now, Facts)).After.Health);
    }

    [Fact]
    public void HeartbeatLost_is_refused_while_beats_are_due_for_a_box_that_stopped_before_it_took_the_job_and_in_boot()
    {
        Refused(Transitions.HeartbeatLost(Running(), new TestboxHeartbeat("vm-2p8g--1", NowMs, 60, NowMs + 180_000, Silent: false, SilentMillis: 0, HeldAtBeat: [43]), Now, Facts));
        Refused(Transitions.HeartbeatLost(Running(), new TestboxHeartbeat("vm-2p8g--1", NowMs - 900_000, 60, NowMs - 720_000, Silent: true, SilentMillis: 900_000, HeldAtBeat: [41]), Now, Facts));
        Refused(Transitions.HeartbeatLost(Running(), new TestboxHeartbeat("vm-2p8g--1", NowMs - 900_000, 60, NowMs - 720_000, Silent: true, SilentMillis: 900_000), Now, Facts));
        Refused(Transitions.HeartbeatLost(Running(), null, Now, Facts));
        Refused(Transitions.HeartbeatLost(Booted(), new TestboxHeartbeat("vm-2p8g--1", NowMs - 200_000, 60, NowMs - 20_000, Silent: true, SilentMillis: 200_000, HeldAtBeat: [43]), Now, Facts));
    }

    [Fact]
    public void CloseForCluster_ends_a_held_node_job_as_abort_and_tells_its_host_but_not_its_cluster()
    {
        var change = Written(JobTransitions.CloseForCluster(Running() with { ClusterId = 40 }, "node b failed", Now, Facts));

        Assert.Equal((JobStages.Finish, JobHealth.Abort, true), (change.After.Stage, change.After.Health, change.After.CancelRequested));
        Assert.Equal(["cluster_aborted"], EventNames(change));
        Assert.Equal([JobEffectKinds.HostJobEnded, JobEffectKinds.Extract], Kinds(change));
    }

    [Fact]
    public void CloseForCluster_takes_a_pending_node_job_out_of_its_queue_and_an_ended_one_is_refused()
    {
        var change = Written(JobTransitions.CloseForCluster(Pending() with { ClusterId = 40 }, "timeout", Now, Facts with { HostLifecycle = null }));

        Assert.False(change.After.CancelRequested);
        Assert.Equal([JobEffectKinds.Dequeue], Kinds(change));
        Refused(JobTransitions.CloseForCluster(change.After, "again", Now, Facts));
    }

    [Fact]
    public void Renew_moves_the_deadline_from_the_later_of_the_deadline_and_now()
    {
        var change = Written(Transitions.Renew(Running(), 600, "vm-2p8g--1", Now));

        Assert.Equal(Running().Deadline + 600_000, change.After.Deadline);
        Assert.Equal(["renewed"], EventNames(change));
        Assert.Equal(JobStages.Running, change.After.Stage);
    }

    [Fact]
    public void Renew_of_an_unconfirmed_or_ended_job_is_refused()
    {
        Refused(Transitions.Renew(Booted(), 600, null, Now));
        Refused(Transitions.Renew(Running() with { Stage = JobStages.Finish }, 600, null, Now));
        Refused(Transitions.Renew(Running(), 600, "vm-2p8g--9", Now));
    }

    [Theory]
    [InlineData(JobStages.Boot)]
    [InlineData(JobStages.Running)]
    public void Expire_ends_a_cancelled_job_as_cancelled_instead_of_queueing_or_timing_it_out(string stage)
    {
        var change = Written(Transitions.Expire(Running() with { Stage = stage, CancelRequested = true, Deadline = NowMs - 1, ClusterId = 40 }, Now, Facts));

        Assert.Equal((JobStages.Finish, JobHealth.Cancel), (change.After.Stage, change.After.Health));
        Assert.Null(change.After.Crash);
        Assert.Null(change.Successor);
        Assert.Equal(["cancelled"], EventNames(change));
        Assert.StartsWith("cancel requested; ", change.Events[0].Detail!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([JobEffectKinds.HostJobEnded, JobEffectKinds.ClusterReconcile, JobEffectKinds.Extract], Kinds(change));
    }

    [Fact]
    public void HeartbeatLost_ends_a_cancelled_job_as_cancelled_and_does_not_reschedule_it()
    {
        var beat = new TestboxHeartbeat("vm-2p8g--1", NowMs - 200_000, 60, NowMs - 20_000, Silent: true, SilentMillis: 200_000, HeldAtBeat: [43]);

        var change = Written(Transitions.HeartbeatLost(Running() with { CancelRequested = true }, beat, Now, Facts));

        Assert.Equal(JobHealth.Cancel, change.After.Health);
        Assert.Null(change.Successor);
        Assert.DoesNotContain(JobEffectKinds.Enqueue, Kinds(change));
    }

    [Fact]
    public void Finish_as_a_retriable_crash_of_a_cancelled_job_is_not_rescheduled()
    {
        var crash = new CrashReport(CrashNotify.Lab, CrashCause.Network, false, new Dictionary<string, string>());

        var change = Written(Transitions.Finish(Running() with { CancelRequested = true }, JobHealth.Crash, crash, null, Now, Facts));

        Assert.Null(change.Successor);
        Assert.Equal("Not rescheduled: the job was cancelled.", change.Events[0].Detail!["reschedule"]!.GetValue<string>());
    }

    [Fact]
    public void Assign_of_a_pending_job_left_with_a_cancel_ends_it_instead_of_handing_it_out()
    {
        var change = Written(Transitions.Assign(Pending() with { CancelRequested = true }, "vm-2p8g--1", "lease-1", "h1", Now));

        Assert.Equal((JobStages.Finish, JobHealth.Cancel), (change.After.Stage, change.After.Health));
        Assert.Null(change.After.LeaseId);
    }

    [Fact]
    public void Every_change_moves_the_version_by_one_from_the_row_it_read()
    {
        Transition[] transitions =
        [
            Transitions.Assign(Pending(), "t", "l", null, Now),
            JobTransitions.Release(Booted(), "vm-2p8g--1", "lease-1", Now),
            JobTransitions.ChangeStage(Booted(), JobStages.Running, null, Now),
            Transitions.Finish(Running(), JobHealth.Failed, null, null, Now, Facts),
            JobTransitions.Cancel(Running(), Now),
            Transitions.Expire(Booted() with { Deadline = 0 }, Now, Facts),
            JobTransitions.CloseForCluster(Running(), "r", Now, Facts),
            Transitions.Renew(Running(), 60, null, Now),
        ];

        Assert.All(transitions.Select(Written), c => Assert.Equal(c.Before.Version + 1, c.After.Version));
        Assert.All(transitions.Select(Written), c => Assert.NotEmpty(c.Events));
    }
}
