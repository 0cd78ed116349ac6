using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// Heartbeat loss and automatic rescheduling, against a silo whose testboxes beat every second (so three missed
/// beats take three seconds) and whose sweeper runs every second. Waits are for conditions, with deadlines.
/// </summary>
public sealed class HeartbeatAndRescheduleTests(MariaDbFixture database)
{
    private const int Interval = 1;

    private static readonly Dictionary<string, string> Fast = new()
    {
        ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
        ["CompassCi__Lifecycle__HeartbeatIntervalSeconds"] = "1",
    };

    [Fact]
    public async Task A_silent_testbox_crashes_its_job_which_is_rescheduled_to_another_until_max_attempts()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("heartbeat");
        await using var silo = await SiloProcess.StartAsync(connectionString, "hb" + Guid.NewGuid().ToString("N")[..6], Fast);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var first = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-hb", ["max_attempts"] = 2 }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        // A control job on a box that keeps beating: it must still be running when the silent box's job has crashed.
        var control = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = "vm-beating--0" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.Equal(control, (await client.ConsumeAsync("vm-beating--0", new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
        await client.StageAsync(control, "running");
        using var stopBeating = new CancellationTokenSource();
        var beating = KeepBeatingAsync(client, "vm-beating--0", stopBeating.Token);

        Assert.Equal(first, await RunThenFallSilentAsync(client, "vm-hb--0"));
        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetJobAsync(first))!["job_stage"]!.GetValue<string>() == "finish", TimeSpan.FromSeconds(30)), silo.Log());
        var crashed = (await client.GetJobAsync(first))!;
        var controlWhileOtherCrashed = (await client.GetJobAsync(control))!["job_stage"]!.GetValue<string>();

        Assert.Equal("crash", crashed["job_health"]!.GetValue<string>());
        Assert.Equal("testbox", crashed["crash"]!["cause"]!.GetValue<string>());
        Assert.Equal("lab", crashed["crash"]!["notify"]!.GetValue<string>());
        Assert.Equal("heartbeat_lost", crashed["crash"]!["keyvals"]!["reason"]!.GetValue<string>());
        Assert.Equal("running", controlWhileOtherCrashed);
        var successorId = crashed["rescheduled_as"]!.GetValue<string>();
        var successor = (await client.GetJobAsync(successorId))!;
        Assert.Equal(first, successor["rescheduled_from"]!.GetValue<string>());
        Assert.Equal(2, successor["attempt"]!.GetValue<int>());
        Assert.Equal("submit", successor["job_stage"]!.GetValue<string>());

        // The first box comes back too late: the job it held is over.
        var (lateStatus, _) = await client.PostAsync($"/api/v1/jobs/{first}/finish", new JsonObject { ["health"] = "success", ["testbox"] = "vm-hb--0" });
        Assert.Equal(HttpStatusCode.Conflict, lateStatus);

        // Attempt 2 goes to another box, which also falls silent: with max_attempts 2 that is the end.
        Assert.Equal(successorId, await RunThenFallSilentAsync(client, "vm-hb--1"));
        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetJobAsync(successorId))!["job_stage"]!.GetValue<string>() == "finish", TimeSpan.FromSeconds(30)), silo.Log());
        var last = (await client.GetJobAsync(successorId))!;
        Assert.Equal("crash", last["job_health"]!.GetValue<string>());
        Assert.Null(last["rescheduled_as"]);
        Assert.Equal(0, await client.PendingAsync());
        var events = (JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs/{successorId}/events", TestContext.Current.CancellationToken))!["events"]!).AsArray();
        Assert.Contains("no attempts remain", events.Single(e => e!["event"]!.GetValue<string>() == "heartbeat_lost")!["reschedule"]!.GetValue<string>(), StringComparison.Ordinal);
        var firstEvents = (JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs/{first}/events", TestContext.Current.CancellationToken))!["events"]!).AsArray().Select(e => e!["event"]!.GetValue<string>());
        // Its lifecycle's story; what its results pipeline adds after the end ("extracted") is not part of it.
        Assert.Equal(["submitted", "leased", "stage", "heartbeat_lost", "rescheduled"], firstEvents.Where(e => e is not ("extracted" or "notified")));

        await stopBeating.CancelAsync();
        await beating;
        Assert.Equal("running", (await client.GetJobAsync(control))!["job_stage"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reported_crashes_are_rescheduled_by_cause_and_fatality_and_counted_by_cause_and_notify()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("crashes");
        await using var silo = await SiloProcess.StartAsync(connectionString, "crash" + Guid.NewGuid().ToString("N")[..6], Fast);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        async Task<JsonObject> CrashAsync(string testbox, JsonObject crash, JsonObject? extra = null)
        {
            var job = new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = testbox };
            foreach (var (k, v) in extra ?? [])
            {
                job[k] = v?.DeepClone();
            }

            var id = (await client.SubmitAsync(job))["id"]!.GetValue<string>();
            Assert.Equal(id, (await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 0))!["id"]!.GetValue<string>());
            await client.StageAsync(id, "running", testbox);
            var (status, body) = await client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "crash", ["testbox"] = testbox, ["crash"] = crash });
            Assert.Equal(HttpStatusCode.OK, status);
            return (JsonObject)body!;
        }

        var task = await CrashAsync("vm-task--0", new JsonObject { ["notify"] = "task", ["cause"] = "task", ["keyvals"] = new JsonObject { ["step"] = "make" } });
        var fatal = await CrashAsync("vm-fatal--0", new JsonObject { ["notify"] = "lab", ["cause"] = "testbox", ["fatal"] = true });
        var network = await CrashAsync("vm-net--0", new JsonObject { ["notify"] = "lab", ["cause"] = "network" });
        var disabled = await CrashAsync("vm-off--0", new JsonObject { ["notify"] = "lab", ["cause"] = "network" }, new JsonObject { ["max_attempts"] = 0 });

        Assert.Null(task["rescheduled_as"]);
        Assert.Null(fatal["rescheduled_as"]);
        Assert.Null(disabled["rescheduled_as"]);
        var retry = (await client.GetJobAsync(network["rescheduled_as"]!.GetValue<string>()))!;
        Assert.Equal("submit", retry["job_stage"]!.GetValue<string>());
        Assert.Equal("vm-net--0", retry["testbox"]!.GetValue<string>());
        Assert.Equal("make", task["crash"]!["keyvals"]!["step"]!.GetValue<string>());
        Assert.Equal(1, await client.PendingAsync());

        var stats = JsonNode.Parse(await http.GetStringAsync("/api/v1/stats/crashes?since=1h", TestContext.Current.CancellationToken))!;
        Assert.Equal(4, stats["total"]!.GetValue<long>());
        Assert.Equal(1, stats["fatal"]!.GetValue<long>());
        Assert.Equal(1, stats["rescheduled"]!.GetValue<long>());
        Assert.Equal(1, stats["by_cause"]!["task"]!.GetValue<long>());
        Assert.Equal(1, stats["by_cause"]!["testbox"]!.GetValue<long>());
        Assert.Equal(2, stats["by_cause"]!["network"]!.GetValue<long>());
        Assert.Equal(0, stats["by_cause"]!["scheduler"]!.GetValue<long>());
        Assert.Equal(3, stats["by_notify"]!["lab"]!.GetValue<long>());
        Assert.Equal(1, stats["by_notify"]!["task"]!.GetValue<long>());
        var future = JsonNode.Parse(await http.GetStringAsync($"/api/v1/stats/crashes?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}&until={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(2).ToString("O"))}", TestContext.Current.CancellationToken))!;
        Assert.Equal(0, future["total"]!.GetValue<long>());
        using var bad = await http.GetAsync("/api/v1/stats/crashes?since=yesterday", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("since", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    /// <summary>Takes a job, confirms it, beats once (the answer lists the job), then goes silent. Answers the job's id.</summary>
    private static async Task<string> RunThenFallSilentAsync(SchedulerClient client, string testbox)
    {
        var id = (await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 10))!["id"]!.GetValue<string>();
        await client.StageAsync(id, "running", testbox);
        var beat = await client.HeartbeatAsync(testbox, Interval);
        Assert.Equal(id, Assert.Single(beat["jobs"]!.AsArray())!["id"]!.GetValue<string>());
        return id;
    }

    private static async Task KeepBeatingAsync(SchedulerClient client, string testbox, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(300));
        do
        {
            await client.HeartbeatAsync(testbox, Interval);
        }
        while (await WaitAsync(timer, stop));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
