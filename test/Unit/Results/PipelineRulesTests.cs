using System.Text.Json.Nodes;
using CompassCi.Grains.Effects;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Results.Notifications;
using CompassCi.Grains.Results.Pipeline;
using CompassCi.Grains.Results.Regression;

namespace CompassCi.Tests.Unit.Results;

/// <summary>The pure rules of the results pipeline: which ends start it, regression's new errids, who is told, retry waits, options.</summary>
public sealed class PipelineRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly JobTransitions Transitions = new(new ReschedulePolicy(), TimeSpan.FromMinutes(5));
    private static readonly EndFacts Facts = new(null, SuccessorId: 99);
    private static readonly int[] Attempts = [1, 2, 3, 4, 40];

    private static JobRecord Job(string stage = JobStages.Running, long? bootTime = 1, CrashReport? crash = null) => new()
    {
        Id = 7,
        SubmitTime = 0,
        Account = "alice",
        Suite = "ebizzy",
        TboxGroup = "vm-2p8g",
        Testbox = "vm-2p8g--1",
        QueueKey = "tbox_group=vm-2p8g",
        Stage = stage,
        Priority = 5,
        MemoryMb = 1024,
        Version = 3,
        BootTime = bootTime,
        LeaseId = bootTime is null ? null : "lease",
        Crash = crash,
        Health = crash is null ? null : JobHealth.Crash,
        Document = """{"suite": "ebizzy", "result_root": "/result/ebizzy/2026-12-01/vm-2p8g/openeuler-24.03-aarch64/100x/7"}""",
        ResultRoot = "/result/ebizzy/2026-12-01/vm-2p8g/openeuler-24.03-aarch64/100x/7",
    };

    private static string[] Kinds(Transition transition) => [.. Assert.IsType<JobChange>(transition.Change).Effects.Select(e => e.Kind)];

    [Fact]
    public void Every_end_of_a_job_a_testbox_took_records_the_extract_effect_in_the_same_write()
    {
        Assert.Contains(JobEffectKinds.Extract, Kinds(Transitions.Finish(Job(), JobHealth.Success, null, null, Now, Facts)));
        Assert.Contains(JobEffectKinds.Extract, Kinds(Transitions.Finish(Job(), JobHealth.Crash, new CrashReport(CrashNotify.Lab, CrashCause.Testbox, false, new Dictionary<string, string>()), null, Now, Facts)));
        Assert.Contains(JobEffectKinds.Extract, Kinds(Transitions.Expire(Job() with { Stage = JobStages.Running, Deadline = 0 }, Now, Facts)));
        var effect = Assert.Single(Assert.IsType<JobChange>(Transitions.Finish(Job(), JobHealth.Success, null, null, Now, Facts).Change).Effects, e => e.Kind == JobEffectKinds.Extract);
        Assert.Equal("7", effect.Target);
    }

    [Fact]
    public void A_job_that_ends_before_any_testbox_took_it_has_no_results_to_extract()
    {
        var cancelled = JobTransitions.Cancel(Job(JobStages.Submit, bootTime: null), Now);
        Assert.DoesNotContain(JobEffectKinds.Extract, Kinds(cancelled));
    }

    [Fact]
    public void New_errids_are_those_no_earlier_run_showed_and_a_first_run_has_none()
    {
        Assert.Empty(NewErrids.Of(["dmesg.oops"], []));
        Assert.Empty(NewErrids.Of(["dmesg.oops"], [["dmesg.oops"], []]));
        Assert.Equal(["kmsg.b", "stderr.a"], NewErrids.Of(["stderr.a", "dmesg.oops", "kmsg.b", "stderr.a"], [["dmesg.oops"], ["x"]]));
        Assert.Empty(NewErrids.Of([], [["dmesg.oops"]]));
    }

    [Theory]
    [InlineData(null, NotificationRouting.Owner)]
    [InlineData(CrashNotify.Task, NotificationRouting.Owner)]
    [InlineData(CrashNotify.Lab, NotificationRouting.Lab)]
    [InlineData(CrashNotify.Scheduler, NotificationRouting.Operators)]
    [InlineData(CrashNotify.Unknown, NotificationRouting.Operators)]
    public void A_crash_is_told_to_whom_it_blames(string? notify, string audience)
    {
        var crash = notify is null ? null : new CrashReport(notify, CrashCause.Unknown, false, new Dictionary<string, string>());
        Assert.Equal(audience, NotificationRouting.AudienceOf(Job(crash: crash)));
    }

    [Fact]
    public void Each_audience_has_its_own_hook_and_an_unconfigured_one_has_none()
    {
        var hooks = new WebhookOptions { Accounts = { ["alice"] = "http://a/" }, Lab = "http://lab/", Operators = "" };
        Assert.Equal("http://a/", NotificationRouting.HookOf(NotificationRouting.Owner, Job(), hooks));
        Assert.Null(NotificationRouting.HookOf(NotificationRouting.Owner, Job() with { Account = "bob" }, hooks));
        Assert.Equal("http://lab/", NotificationRouting.HookOf(NotificationRouting.Lab, Job(), hooks));
        Assert.Null(NotificationRouting.HookOf(NotificationRouting.Operators, Job(), hooks));
    }

    [Fact]
    public void The_summary_names_the_job_its_crash_its_errids_and_where_its_results_are()
    {
        var crash = new CrashReport(CrashNotify.Lab, CrashCause.Testbox, true, new Dictionary<string, string> { ["reason"] = "kernel panic" });
        var outputs = new Dictionary<string, JsonObject> { ["regression"] = new() { ["new_errids"] = new JsonArray("dmesg.new") } };
        var summary = NotificationSummary.Of(new PluginContext(Job(crash: crash), ["dmesg.new", "dmesg.old"], outputs, 1), NotificationRouting.Lab, "http://results:3080/");

        Assert.Equal("7", summary["id"]!.GetValue<string>());
        Assert.Equal("lab", summary["crash"]!["notify"]!.GetValue<string>());
        Assert.Equal(["dmesg.new"], ((JsonArray)summary["new_errids"]!).Select(e => e!.GetValue<string>()));
        Assert.Equal(2, ((JsonArray)summary["errid"]!).Count);
        Assert.Equal("http://results:3080/result/ebizzy/2026-12-01/vm-2p8g/openeuler-24.03-aarch64/100x/7", summary["result_url"]!.GetValue<string>());
    }

    [Fact]
    public void Retry_waits_double_from_the_first_up_to_the_longest()
    {
        var options = new PipelineOptions { RetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(10) };
        Assert.Equal(
            [2, 4, 8, 10, 10],
            Attempts.Select(a => options.DelayAfter(a).TotalSeconds));
    }

    [Fact]
    public void Bad_pipeline_and_webhook_settings_are_named()
    {
        var pipeline = new PipelineOptions { Plugins = ["regression", "extract", "regression", ""], MaxAttempts = 0 }.Check().ToList();
        Assert.Contains(pipeline, p => p.Contains("MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(pipeline, p => p.Contains("Plugins:1", StringComparison.Ordinal) && p.Contains("'extract'", StringComparison.Ordinal));
        Assert.Contains(pipeline, p => p.Contains("Plugins:2", StringComparison.Ordinal) && p.Contains("twice", StringComparison.Ordinal));
        Assert.Contains(pipeline, p => p.Contains("Plugins:3", StringComparison.Ordinal));
        Assert.Empty(new PipelineOptions().Check());

        var hooks = new WebhookOptions { Accounts = { ["alice"] = "ftp://x" }, Lab = "not a url" }.Check().ToList();
        Assert.Contains(hooks, p => p.Contains("Accounts:alice", StringComparison.Ordinal));
        Assert.Contains(hooks, p => p.Contains("Lab", StringComparison.Ordinal));
        Assert.Empty(new WebhookOptions { Accounts = { ["alice"] = "https://hooks.example/a" } }.Check());
    }
}
