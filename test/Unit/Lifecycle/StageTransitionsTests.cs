using CompassCi.Contracts.Jobs;
using CompassCi.Grains.Lifecycle;
using Xunit;

namespace CompassCi.Tests.Unit.Lifecycle;

public class StageTransitionsTests
{
    /// <summary>The legal changes as the issue states them, written out independently of the table under test.</summary>
    private static readonly (string From, string To)[] Legal =
    [
        ("submit", "boot"),
        ("submit", "finish"),
        ("boot", "running"),
        ("boot", "submit"),
        ("boot", "finish"),
        ("running", "post_run"),
        ("running", "finish"),
        ("post_run", "manual_check"),
        ("post_run", "renew"),
        ("post_run", "finish"),
        ("manual_check", "renew"),
        ("manual_check", "finish"),
        ("renew", "manual_check"),
        ("renew", "renew"),
        ("renew", "finish"),
    ];

    public static TheoryData<string, string> LegalPairs => new(Legal);

    /// <summary>Every ordered pair of stages that is not legal: 7 × 7 − 15 = 34.</summary>
    public static TheoryData<string, string> IllegalPairs => new(
        from f in JobStages.All
        from t in JobStages.All
        where !Legal.Contains((f, t))
        select (f, t));

    public static TheoryData<string[]> Paths => new(
        ["submit", "boot", "running", "post_run", "finish"],
        ["submit", "boot", "running", "post_run", "manual_check", "finish"],
        ["submit", "boot", "running", "post_run", "renew", "finish"],
        ["submit", "boot", "running", "post_run", "manual_check", "renew", "renew", "manual_check", "renew", "finish"],
        ["submit", "boot", "submit", "boot", "running", "post_run", "finish"],
        ["submit", "finish"],
        ["submit", "boot", "finish"],
        ["submit", "boot", "running", "finish"],
        ["submit", "boot", "running", "post_run", "manual_check", "finish"],
        ["submit", "boot", "running", "post_run", "renew", "manual_check", "finish"]);

    [Theory]
    [MemberData(nameof(LegalPairs))]
    public void LegalChangesAreAllowed(string from, string to)
    {
        var check = StageTransitions.Check(from, to);

        Assert.True(check.IsAllowed);
        Assert.Null(check.Reason);
        Assert.False(check.IsUnknownTarget);
        Assert.Same(TransitionCheck.Allowed, check);
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void EveryOtherChangeIsRefusedNamingTheCurrentStage(string from, string to)
    {
        var check = StageTransitions.Check(from, to);

        Assert.False(check.IsAllowed);
        Assert.False(check.IsUnknownTarget);
        Assert.StartsWith($"job is in stage '{from}'; it cannot go to '{to}' (", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ThereAre15LegalAnd34IllegalPairs()
    {
        Assert.Equal(15, LegalPairs.Count);
        Assert.Equal(34, IllegalPairs.Count);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EachLegalPathIsAllowedStepByStepAndEndsFinal(string[] path)
    {
        for (var i = 1; i < path.Length; i++)
        {
            Assert.True(StageTransitions.Check(path[i - 1], path[i]).IsAllowed, $"{path[i - 1]} → {path[i]}");
        }

        Assert.True(JobStages.IsFinal(path[^1]));
    }

    [Fact]
    public void TheReasonListsWhereTheJobCanGo()
    {
        Assert.Equal(
            "job is in stage 'running'; it cannot go to 'boot' (from 'running' it can go to 'post_run' or 'finish')",
            StageTransitions.Check("running", "boot").Reason);
        Assert.Equal(
            "job is in stage 'post_run'; it cannot go to 'running' (from 'post_run' it can go to 'manual_check', 'renew' or 'finish')",
            StageTransitions.Check("post_run", "running").Reason);
    }

    [Fact]
    public void AFinishedJobStaysFinished()
    {
        Assert.All(JobStages.All, to => Assert.False(StageTransitions.Check("finish", to).IsAllowed));
        Assert.Equal(
            "job is in stage 'finish'; it cannot go to 'running' (a finished job stays finished)",
            StageTransitions.Check("finish", "running").Reason);
    }

    [Fact]
    public void EveryStageButFinishCanBeClosed()
    {
        Assert.All(JobStages.All.Where(s => s != JobStages.Finish), from => Assert.True(StageTransitions.Check(from, JobStages.Finish).IsAllowed));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("Running")]
    [InlineData("on_fail")]
    public void AnUnknownTargetIsABadRequestNotAConflict(string to)
    {
        var check = StageTransitions.Check("running", to);

        Assert.False(check.IsAllowed);
        Assert.True(check.IsUnknownTarget);
        Assert.Equal(
            $"job is in stage 'running'; '{to}' is not a stage (stages: submit, boot, running, post_run, manual_check, renew, finish)",
            check.Reason);
    }

    [Fact]
    public void AnUnknownCurrentStageIsRefused()
    {
        var check = StageTransitions.Check("exploded", "finish");

        Assert.False(check.IsAllowed);
        Assert.False(check.IsUnknownTarget);
        Assert.Equal("job is in stage 'exploded', which is not a stage this scheduler knows; it cannot go to 'finish'", check.Reason);
    }

    [Fact]
    public void TheTableCoversEveryStageInOrderAndAgreesWithCheck()
    {
        Assert.Equal(JobStages.All, StageTransitions.Table.Keys);
        Assert.Empty(StageTransitions.Table[JobStages.Finish]);

        var fromTable = StageTransitions.Table.SelectMany(e => e.Value.Select(to => (e.Key, to))).ToHashSet();
        Assert.Equal(Legal.ToHashSet(), fromTable);
    }

    [Fact]
    public void APendingJobIsCancelledAtOnce()
    {
        var decision = StageTransitions.Cancel(JobStages.Submit);

        Assert.Equal(CancelAction.FinishAsCancelled, decision.Action);
        Assert.Equal("cancelled while waiting in its queue", decision.Reason);
        Assert.True(StageTransitions.Check(JobStages.Submit, JobStages.Finish).IsAllowed);
    }

    [Theory]
    [InlineData("boot")]
    [InlineData("running")]
    [InlineData("post_run")]
    [InlineData("manual_check")]
    [InlineData("renew")]
    public void AHeldJobIsMarkedForAbort(string stage)
    {
        var decision = StageTransitions.Cancel(stage);

        Assert.Equal(CancelAction.MarkForAbort, decision.Action);
        Assert.Equal($"cancel requested in stage '{stage}'; the testbox is told to abort on its next call", decision.Reason);
    }

    [Fact]
    public void AFinishedJobCannotBeCancelled()
    {
        var decision = StageTransitions.Cancel(JobStages.Finish);

        Assert.Equal(CancelAction.Refuse, decision.Action);
        Assert.Equal("job is in stage 'finish'; it has already ended and cannot be cancelled", decision.Reason);
    }

    [Fact]
    public void AJobInAnUnknownStageCannotBeCancelled()
    {
        var decision = StageTransitions.Cancel("exploded");

        Assert.Equal(CancelAction.Refuse, decision.Action);
        Assert.Contains("'exploded'", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ActiveStagesAreTheHeldOnes()
    {
        Assert.Equal(
            ["boot", "running", "post_run", "manual_check", "renew"],
            JobStages.All.Where(JobStages.IsActive));
        Assert.Equal(["finish"], JobStages.All.Where(JobStages.IsFinal));
    }
}
