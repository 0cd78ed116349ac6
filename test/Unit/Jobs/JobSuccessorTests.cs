using System.Text.Json.Nodes;
using CompassCi.Contracts.Jobs;
using CompassCi.Grains.Jobs;

namespace CompassCi.Tests.Unit.Jobs;

public sealed class JobSuccessorTests
{
    private static readonly JobRecord Crashed = new()
    {
        Id = 100,
        SubmitTime = 1_000,
        Account = "alice",
        Suite = "iperf",
        TboxGroup = "vm-2p8g",
        Testbox = "vm-2p8g--3",
        Arch = "aarch64",
        QueueKey = "arch=aarch64,tbox_group=vm-2p8g",
        Stage = JobStages.Finish,
        Health = "crash",
        Priority = 7,
        MemoryMb = 2048,
        LeaseId = "lease",
        BootTime = 2_000,
        RunningTime = 3_000,
        FinishTime = 4_000,
        Version = 5,
        Crash = new CrashReport(CrashNotify.Lab, CrashCause.Testbox, false, new Dictionary<string, string>()),
        Document = "{\"suite\": \"iperf\", \"tbox_group\": \"vm-2p8g\", \"runtime\": \"300s\"}",
        Attempt = 2,
    };

    [Fact]
    public void The_next_attempt_is_a_fresh_pending_job_with_the_same_requirements_linked_to_the_crashed_one()
    {
        var next = JobSuccessor.Of(Crashed, 200, 9_000);

        Assert.Equal(200, next.Id);
        Assert.Equal(9_000, next.SubmitTime);
        Assert.Equal(JobStages.Submit, next.Stage);
        Assert.Null(next.Health);
        Assert.Null(next.LeaseId);
        Assert.Null(next.BootTime);
        Assert.Null(next.RunningTime);
        Assert.Null(next.FinishTime);
        Assert.Null(next.Crash);
        Assert.Equal(1, next.Version);
        Assert.Equal(3, next.Attempt);
        Assert.Equal(100, next.RescheduledFrom);
        Assert.Equal((Crashed.QueueKey, Crashed.Priority, Crashed.MemoryMb, Crashed.Account), (next.QueueKey, next.Priority, next.MemoryMb, next.Account));
    }

    [Fact]
    public void The_next_attempt_asks_for_the_testbox_the_job_asked_for_not_the_one_that_crashed()
    {
        Assert.Null(JobSuccessor.Of(Crashed, 200, 9_000).Testbox);
        var pinned = Crashed with { Document = "{\"suite\": \"iperf\", \"testbox\": \"vm-2p8g--3\"}" };
        Assert.Equal("vm-2p8g--3", JobSuccessor.Of(pinned, 200, 9_000).Testbox);
    }

    [Fact]
    public void The_document_records_the_link_and_the_attempt_and_keeps_everything_else()
    {
        var document = JsonNode.Parse(JobSuccessor.Of(Crashed, 200, 9_000).Document)!;

        Assert.Equal("100", document["rescheduled_from"]!.GetValue<string>());
        Assert.Equal(3, document["attempt"]!.GetValue<int>());
        Assert.Equal("300s", document["runtime"]!.GetValue<string>());
    }
}
