using System.Text.Json.Nodes;
using CompassCi.Grains.Effects;
using CompassCi.Grains.Lifecycle;

namespace CompassCi.Tests.Unit.Lifecycle;

/// <summary>
/// What a testbox's reports may do to a job: never the scheduler's moves, a give-back that goes through the one path
/// back to the queue, and renewals under a ceiling.
/// </summary>
public sealed class ClientTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();
    private static readonly JobTransitions Transitions = new(new ReschedulePolicy(), TimeSpan.FromMinutes(5), TimeSpan.FromHours(2));
    private static readonly EndFacts Facts = new(null, SuccessorId: 99);

    private static JobRecord Pending() => new()
    {
        Id = 43,
        SubmitTime = NowMs - 7_200_000,
        QueuedAt = NowMs - 7_200_000,
        Account = "a",
        Suite = "s",
        TboxGroup = "vm-2p8g",
        QueueKey = "tbox_group=vm-2p8g",
        Stage = JobStages.Submit,
        Priority = 5,
        MemoryMb = 0,
        Version = 1,
        Document = """{"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g"}""",
    };

    private static JobRecord Booted() => Pending() with
    {
        Stage = JobStages.Boot,
        Testbox = "vm-2p8g--1",
        Host = "h1",
        LeaseId = "1",
        BootTime = NowMs - 60_000,
        Deadline = NowMs + 240_000,
        Version = 2,
    };

    private static JobRecord Running() => Booted() with { Stage = JobStages.Running, RunningTime = NowMs - 30_000, Deadline = NowMs + 600_000, Version = 3 };

    private static string Refused(Transition transition)
    {
        Assert.Null(transition.Change);
        Assert.Null(transition.Unchanged);
        return Assert.IsType<string>(transition.Refusal);
    }

    private static JobChange Written(Transition transition)
    {
        Assert.Null(transition.Refusal);
        return Assert.IsType<JobChange>(transition.Change);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("vm-2p8g--1")]
    public void A_client_cannot_boot_or_run_a_pending_job(string? testbox)
    {
        Assert.Contains("only the scheduler moves it to 'boot'", Refused(JobTransitions.ChangeStage(Pending(), JobStages.Boot, testbox, Now)), StringComparison.Ordinal);
        Assert.StartsWith("job is in stage 'submit'; it cannot go to 'running'", Refused(JobTransitions.ChangeStage(Pending(), JobStages.Running, testbox, Now)), StringComparison.Ordinal);
        Assert.StartsWith("job is in stage 'submit'", Refused(Transitions.Finish(Pending(), JobHealth.Success, null, testbox, Now, Facts)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_holder_giving_back_an_unconfirmed_job_puts_it_back_in_its_queue_at_once()
    {
        var change = Written(JobTransitions.ChangeStage(Booted(), JobStages.Submit, "vm-2p8g--1", Now));

        Assert.Equal(JobStages.Submit, change.After.Stage);
        Assert.Equal(NowMs, change.After.QueuedAt);
        Assert.Equal((null, null, null, null, null), (change.After.Testbox, change.After.LeaseId, change.After.Host, change.After.BootTime, change.After.Deadline));
        Assert.Equal(new JobEffect(JobEffectKinds.Enqueue, "tbox_group=vm-2p8g"), Assert.Single(change.Effects));
        var released = Assert.Single(change.Events);
        Assert.Equal("released", released.Event);
        Assert.Equal("its testbox gave it back", released.Detail!["reason"]!.GetValue<string>());
    }

    [Fact]
    public void The_give_back_the_hang_up_and_the_lease_expiry_leave_the_same_pending_job_and_effect()
    {
        var gaveBack = Written(JobTransitions.ChangeStage(Booted(), JobStages.Submit, null, Now));
        var hungUp = Written(JobTransitions.Release(Booted(), "vm-2p8g--1", "1", Now));
        var expired = Written(Transitions.Expire(Booted() with { Deadline = NowMs - 1 }, Now, Facts));

        Assert.Equal(gaveBack.After, hungUp.After);
        Assert.Equal(gaveBack.After, expired.After);
        Assert.Equal(gaveBack.Effects, hungUp.Effects);
        Assert.Equal(gaveBack.Effects, expired.Effects);
    }

    [Fact]
    public void A_confirmed_job_a_cancelled_job_or_another_testbox_cannot_give_it_back()
    {
        Assert.StartsWith("job is in stage 'running'; it cannot go to 'submit'", Refused(JobTransitions.ChangeStage(Running(), JobStages.Submit, "vm-2p8g--1", Now)), StringComparison.Ordinal);
        Assert.Contains("abort it", Refused(JobTransitions.ChangeStage(Booted() with { CancelRequested = true }, JobStages.Submit, "vm-2p8g--1", Now)), StringComparison.Ordinal);
        Assert.Contains("held by testbox 'vm-2p8g--1'", Refused(JobTransitions.ChangeStage(Booted(), JobStages.Submit, "vm-2p8g--2", Now)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hang_up_releases_only_the_job_of_its_own_testbox_even_under_the_same_request_id()
    {
        // Another testbox used request id "1" too; its late give-back must not release this testbox's job.
        Refused(JobTransitions.Release(Booted(), "vm-2p8g--2", "1", Now));
    }

    [Fact]
    public void Renewals_stop_at_the_ceiling_counted_from_the_hand_out()
    {
        // Booted a minute ago, deadline in ten minutes, ceiling two hours after boot: 6,540 seconds more fit.
        var fits = Written(Transitions.Renew(Running(), 6_540, null, Now));
        Assert.Equal(NowMs - 60_000 + 7_200_000, fits.After.Deadline);

        var refusal = Transitions.Renew(Running(), 6_541, null, Now);

        Assert.Equal("seconds", refusal.RefusedField);
        Assert.Equal(
            "6541 more seconds would move the deadline to 2026-03-01T13:59:01.000+00:00, past the job's renew ceiling " +
            "2026-03-01T13:59:00.000+00:00 (CompassCi:Lifecycle:RenewCeiling, 02:00:00 after it was handed out at " +
            "2026-03-01T11:59:00.000+00:00); at most 6540 more seconds fit",
            Refused(refusal));
    }

    [Fact]
    public void Repeated_renewals_cannot_pass_the_ceiling()
    {
        var job = Running();
        var accepted = 0;
        for (var i = 0; i < 10; i++)
        {
            if (Transitions.Renew(job, 1_800, null, Now).Change is { } change)
            {
                job = change.After;
                accepted++;
            }
        }

        Assert.Equal(3, accepted);
        Assert.True(job.Deadline <= job.BootTime + 7_200_000);
    }

    [Fact]
    public void The_default_ceiling_is_thirty_days_and_the_option_checks_its_range()
    {
        Assert.Equal(TimeSpan.FromDays(30), new LifecycleOptions().RenewCeiling);
        Assert.Empty(new LifecycleOptions().Check());
        Assert.Equal(
            ["CompassCi:Lifecycle:RenewCeiling is 00:00:00; it must be a time span from 00:01:00 to 3650.00:00:00"],
            new LifecycleOptions { RenewCeiling = TimeSpan.Zero }.Check());
    }
}
