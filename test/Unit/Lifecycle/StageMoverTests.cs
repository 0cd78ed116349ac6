using CompassCi.Grains.Lifecycle;

namespace CompassCi.Tests.Unit.Lifecycle;

/// <summary>Every legal stage change names who may make it, and a client (the holder) makes only its own.</summary>
public sealed class StageMoverTests
{
    /// <summary>Who moves what, written out independently of the table under test.</summary>
    private static readonly (string From, string To, StageMover By)[] Expected =
    [
        ("submit", "boot", StageMover.Scheduler),
        ("submit", "finish", StageMover.Scheduler | StageMover.Operator),
        ("boot", "submit", StageMover.Scheduler | StageMover.Holder),
        ("boot", "running", StageMover.Holder),
        ("boot", "finish", StageMover.Scheduler | StageMover.Holder),
        ("running", "post_run", StageMover.Holder),
        ("running", "finish", StageMover.Scheduler | StageMover.Holder),
        ("post_run", "manual_check", StageMover.Holder),
        ("post_run", "renew", StageMover.Holder),
        ("post_run", "finish", StageMover.Scheduler | StageMover.Holder),
        ("manual_check", "renew", StageMover.Holder),
        ("manual_check", "finish", StageMover.Scheduler | StageMover.Holder),
        ("renew", "manual_check", StageMover.Holder),
        ("renew", "renew", StageMover.Holder),
        ("renew", "finish", StageMover.Scheduler | StageMover.Holder),
    ];

    [Fact]
    public void Every_legal_move_names_who_makes_it_and_how()
    {
        Assert.Equal(Expected, StageTransitions.Moves.Select(m => (m.From, m.To, m.By)));
        Assert.All(StageTransitions.Moves, m => Assert.False(string.IsNullOrWhiteSpace(m.How)));
    }

    [Fact]
    public void Only_the_scheduler_hands_a_pending_job_out()
    {
        var byHolder = StageTransitions.Check(JobStages.Submit, JobStages.Boot, StageMover.Holder);

        Assert.False(byHolder.IsAllowed);
        Assert.StartsWith("job is in stage 'submit'; only the scheduler moves it to 'boot', when it hands the job to a testbox that consumes it", byHolder.Reason, StringComparison.Ordinal);
        Assert.True(StageTransitions.Check(JobStages.Submit, JobStages.Boot, StageMover.Scheduler).IsAllowed);
        Assert.False(StageTransitions.Check(JobStages.Submit, JobStages.Boot, StageMover.Operator).IsAllowed);
    }

    [Fact]
    public void A_job_no_testbox_holds_is_ended_by_a_cancel_or_the_scheduler_not_by_a_client()
    {
        var byHolder = StageTransitions.Check(JobStages.Submit, JobStages.Finish, StageMover.Holder);

        Assert.False(byHolder.IsAllowed);
        Assert.Contains("only the scheduler or a cancel by its owner or an operator moves it to 'finish'", byHolder.Reason, StringComparison.Ordinal);
        Assert.True(StageTransitions.Check(JobStages.Submit, JobStages.Finish, StageMover.Operator).IsAllowed);
    }

    [Fact]
    public void A_client_asking_to_run_a_pending_job_is_told_what_moves_it_on()
    {
        var check = StageTransitions.Check(JobStages.Submit, JobStages.Running, StageMover.Holder);

        Assert.False(check.IsAllowed);
        Assert.False(check.IsUnknownTarget);
        Assert.StartsWith("job is in stage 'submit'; it cannot go to 'running' (from 'submit' only the scheduler or a cancel by its owner or an operator moves it on: to 'boot' when", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_holder_lists_only_its_own_moves_as_alternatives()
    {
        Assert.Equal(
            "job is in stage 'running'; it cannot go to 'boot' (from 'running' it can go to 'post_run' or 'finish')",
            StageTransitions.Check(JobStages.Running, JobStages.Boot, StageMover.Holder).Reason);
        Assert.Equal(
            "job is in stage 'finish'; it cannot go to 'running' (a finished job stays finished)",
            StageTransitions.Check(JobStages.Finish, JobStages.Running, StageMover.Holder).Reason);
    }

    [Theory]
    [InlineData("boot", "submit")]
    [InlineData("boot", "running")]
    [InlineData("running", "post_run")]
    [InlineData("renew", "renew")]
    [InlineData("running", "finish")]
    public void The_holder_makes_the_moves_a_testbox_reports(string from, string to) =>
        Assert.True(StageTransitions.Check(from, to, StageMover.Holder).IsAllowed);

    [Fact]
    public void Boot_is_a_stage_no_client_may_ask_for_and_submit_is_the_give_back()
    {
        var boot = StageTransitions.Entering(JobStages.Boot, StageMover.Holder);

        Assert.False(boot.IsAllowed);
        Assert.True(boot.IsUnknownTarget);
        Assert.StartsWith("only the scheduler moves a job to 'boot'", boot.Reason, StringComparison.Ordinal);
        Assert.All(JobStages.All.Where(s => s != JobStages.Boot), stage => Assert.True(StageTransitions.Entering(stage, StageMover.Holder).IsAllowed, stage));
        Assert.True(StageTransitions.Entering("bogus", StageMover.Holder).IsUnknownTarget);
    }

    [Fact]
    public void An_unknown_stage_is_still_a_bad_request_whoever_asks()
    {
        var check = StageTransitions.Check(JobStages.Running, "bogus", StageMover.Holder);

        Assert.False(check.IsAllowed);
        Assert.True(check.IsUnknownTarget);
    }
}
