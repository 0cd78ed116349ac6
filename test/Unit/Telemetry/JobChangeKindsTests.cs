using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Telemetry;

namespace CompassCi.Tests.Unit.Telemetry;

/// <summary>What each job change counts as on the scheduler's meter.</summary>
public sealed class JobChangeKindsTests
{
    private static readonly JobRecord Pending = new() { Id = 1, SubmitTime = 0, Account = "a", Suite = "s", QueueKey = "k", Stage = JobStages.Submit, Priority = 5, MemoryMb = 0, Version = 1, Document = "{}" };

    private static JobChange Change(JobRecord before, JobRecord after, JobRecord? successor = null) => new(before, after, [], [], successor);

    [Fact]
    public void Submit_to_boot_is_a_hand_out_and_nothing_else()
    {
        var kinds = JobChangeKinds.Of(Change(Pending, Pending with { Stage = JobStages.Boot, Version = 2 }));

        Assert.Equal(new JobChangeKinds(true, null, null, false), kinds);
    }

    [Fact]
    public void An_end_counts_its_health_and_a_crash_its_cause_notify_and_reschedule()
    {
        var running = Pending with { Stage = JobStages.Running, Version = 3 };
        var crashed = running with { Stage = JobStages.Finish, Health = JobHealth.Crash, Crash = new CrashReport(CrashNotify.Lab, CrashCause.Testbox, false, new Dictionary<string, string>()), Version = 4 };

        var kinds = JobChangeKinds.Of(Change(running, crashed, Pending with { Id = 2 }));

        Assert.Equal((false, "crash", ("testbox", "lab"), true), (kinds.HandedOut, kinds.Health, kinds.Crash, kinds.Rescheduled));
        Assert.Equal("success", JobChangeKinds.Of(Change(running, running with { Stage = JobStages.Finish, Health = JobHealth.Success })).Health);
    }

    [Fact]
    public void A_stage_move_within_a_held_job_counts_as_nothing()
    {
        var boot = Pending with { Stage = JobStages.Boot };

        Assert.Equal(new JobChangeKinds(false, null, null, false), JobChangeKinds.Of(Change(boot, boot with { Stage = JobStages.Running })));
    }

    [Fact]
    public void A_hand_out_carries_the_time_since_submit()
    {
        var kinds = JobChangeKinds.Of(Change(Pending with { SubmitTime = 1_000 }, Pending with { SubmitTime = 1_000, Stage = JobStages.Boot, BootTime = 3_500 }));

        Assert.Equal(TimeSpan.FromMilliseconds(2_500), kinds.SubmitToBoot);
    }

    [Fact]
    public void A_lease_that_ran_out_is_an_expiry_and_so_are_the_crashes_the_scheduler_declares_for_lack_of_time()
    {
        var boot = Pending with { Stage = JobStages.Boot, Version = 2 };
        var leaseExpired = new JobChange(boot, Pending with { Version = 3 }, [new JobHistoryEntry(0, JobTransitions.LeaseExpiredEvent)], []);
        var running = Pending with { Stage = JobStages.Running, Version = 3 };
        JobRecord Ended(CrashReport crash) => running with { Stage = JobStages.Finish, Health = JobHealth.Crash, Crash = crash, Version = 4 };

        Assert.Equal("lease_expired", JobChangeKinds.Of(leaseExpired).Expired);
        Assert.Equal("heartbeat_lost", JobChangeKinds.Of(Change(running, Ended(SchedulerCrashes.HeartbeatLost("vm--0", 3)))).Expired);
        Assert.Equal("deadline_exceeded", JobChangeKinds.Of(Change(running, Ended(SchedulerCrashes.DeadlineExceeded("running", 0)))).Expired);
        // A crash a testbox reported, and a job put back for another reason, are not expiries.
        Assert.Null(JobChangeKinds.Of(Change(running, Ended(new CrashReport(CrashNotify.Lab, CrashCause.Testbox, false, new Dictionary<string, string> { ["reason"] = "oom" })))).Expired);
        Assert.Null(JobChangeKinds.Of(new JobChange(boot, Pending with { Version = 3 }, [new JobHistoryEntry(0, "given_back")], [])).Expired);
    }
}
