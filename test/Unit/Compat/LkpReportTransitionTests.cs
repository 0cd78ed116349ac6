using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.Lkp;
using CompassCi.Grains.Lifecycle;

namespace CompassCi.Tests.Unit.Compat;

/// <summary>An lkp report on the native lifecycle: one write with the stage move, the noted health and the variables.</summary>
public sealed class LkpReportTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();

    private static JobRecord Job(string stage) => new()
    {
        Id = 43,
        SubmitTime = NowMs - 7_200_000,
        Account = "a",
        Suite = "s",
        TboxGroup = "vm-2p8g",
        Testbox = stage == JobStages.Submit ? null : "vm-2p8g--1",
        QueueKey = "tbox_group=vm-2p8g",
        Stage = stage,
        Priority = 5,
        MemoryMb = 0,
        BootTime = stage == JobStages.Submit ? null : NowMs - 60_000,
        Deadline = NowMs + 240_000,
        Version = 2,
        Document = """{"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g"}""",
    };

    [Fact]
    public void RunningFromBootIsTheConfirm()
    {
        var change = JobTransitions.Report(Job(JobStages.Boot), new LkpReport(JobStages.Running, null, new() { ["job_state"] = "running" }), Now).Change!;
        Assert.Equal(JobStages.Running, change.After.Stage);
        Assert.Equal(NowMs, change.After.RunningTime);
        Assert.Equal(3, change.After.Version);
        Assert.Equal(["stage", "reported"], change.Events.Select(e => e.Event));
        Assert.Equal("running", LkpVars.Parse(change.After.LkpVars)["job_state"]!.GetValue<string>());
    }

    [Fact]
    public void AFinishWordNotesTheHealthAndLeavesTheJobInItsStage()
    {
        var job = Job(JobStages.PostRun);
        var change = JobTransitions.Report(job, new LkpReport(null, JobHealth.Failed, new() { ["job_state"] = "failed" }), Now).Change!;
        Assert.Equal(JobStages.PostRun, change.After.Stage);
        Assert.Null(change.After.Health);
        Assert.Equal(JobHealth.Failed, change.After.NotedHealth);
        Assert.Empty(change.Effects);
    }

    [Fact]
    public void VariablesMergeAndTimesAreNumbers()
    {
        var job = Job(JobStages.PostRun) with { LkpVars = """{"job_state": "post_run", "loadavg": "1"}""" };
        var change = JobTransitions.Report(job, new LkpReport(null, null, new() { ["loadavg"] = "0.5 0.2 0.1 1/99 7", ["start_time"] = "1700000000" }), Now).Change!;
        var vars = LkpVars.Parse(change.After.LkpVars);
        Assert.Equal("post_run", vars["job_state"]!.GetValue<string>());
        Assert.Equal("0.5 0.2 0.1 1/99 7", vars["loadavg"]!.GetValue<string>());
        Assert.Equal(1_700_000_000L, vars["start_time"]!.GetValue<long>());
    }

    [Fact]
    public void ReportingTheCurrentStageAgainIsNoMove()
    {
        var change = JobTransitions.Report(Job(JobStages.Running), new LkpReport(JobStages.Running, null, new() { ["job_state"] = "running" }), Now).Change!;
        Assert.Equal(JobStages.Running, change.After.Stage);
        Assert.Equal(["reported"], change.Events.Select(e => e.Event));
    }

    [Theory]
    [InlineData(JobStages.Finish, "finish")]
    [InlineData(JobStages.Submit, "submit")]
    public void AJobNoTestboxHoldsIsRefused(string stage, string named)
    {
        var transition = JobTransitions.Report(Job(stage), new LkpReport(null, JobHealth.Success, new() { ["job_state"] = "finished" }), Now);
        Assert.Null(transition.Change);
        Assert.Contains(named, transition.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void AMoveTheStageTableForbidsIsRefusedNamingTheStage()
    {
        var transition = JobTransitions.Report(Job(JobStages.Boot), new LkpReport(JobStages.PostRun, null, new() { ["job_state"] = "post_run" }), Now);
        Assert.Null(transition.Change);
        Assert.Contains("'boot'", transition.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReportedEventCarriesTheVariables()
    {
        var change = JobTransitions.Report(Job(JobStages.Running), new LkpReport(null, null, new() { ["ssh_port"] = "2222" }), Now).Change!;
        var detail = JsonNode.Parse(change.Events[^1].ToJson())!;
        Assert.Equal("reported", detail["event"]!.GetValue<string>());
        Assert.Equal("2222", detail["ssh_port"]!.GetValue<string>());
    }
}
