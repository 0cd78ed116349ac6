using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>A silo whose leases last 2 s, whose testboxes beat every second and whose sweeper runs every second.</summary>
public sealed class FastLifecycleSilo(MariaDbFixture database) : SiloFixture(database)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } = new Dictionary<string, string>
    {
        ["CompassCi__Lifecycle__LeaseSeconds"] = "2",
        ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
        ["CompassCi__Lifecycle__HeartbeatIntervalSeconds"] = "1",
    };
}

/// <summary>
/// A cancel is final: a job cancelled while a testbox holds it ends at the first chance the scheduler gets (its lease
/// ends, its testbox falls silent) and never runs again, neither handed out again nor rescheduled.
/// </summary>
public sealed class CancelIsFinalTests(FastLifecycleSilo silo) : IClassFixture<FastLifecycleSilo>
{
    private SchedulerClient Client => silo.Client;

    private async Task<string> HeldAsync(string testbox)
    {
        var id = (await Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = TboxGroupOf(testbox), ["max_attempts"] = 3 }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.Equal(id, (await Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
        return id;
    }

    private static string TboxGroupOf(string testbox) => testbox[..testbox.IndexOf("--", StringComparison.Ordinal)];

    private async Task<JsonObject> EndedAsync(string id)
    {
        Assert.True(
            await Eventually.HoldsAsync(async () => (await Client.GetJobAsync(id))!["job_stage"]!.GetValue<string>() == "finish", TimeSpan.FromSeconds(30)),
            $"job {id} did not end: {(await Client.GetJobAsync(id))!.ToJsonString()}");
        return (await Client.GetJobAsync(id))!;
    }

    [Fact]
    public async Task A_job_cancelled_before_its_testbox_confirmed_ends_when_the_lease_does_and_is_not_handed_out_again()
    {
        var id = await HeldAsync("vm-cancel-lease--gone");
        var (status, _) = await Client.PostAsync($"/api/v1/jobs/{id}/cancel", []);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);

        var ended = await EndedAsync(id);
        var next = await Client.ConsumeAsync("vm-cancel-lease--next", new Dictionary<string, string>(), 4, 3, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("cancel", ended["job_health"]!.GetValue<string>());
        Assert.Null(next);
        Assert.Null(ended["rescheduled_as"]);
    }

    [Fact]
    public async Task A_cancelled_running_job_whose_testbox_falls_silent_ends_cancelled_and_is_not_rescheduled()
    {
        var id = await HeldAsync("vm-cancel-beat--0");
        await Client.HeartbeatAsync("vm-cancel-beat--0", 1);
        await Client.StageAsync(id, "running", "vm-cancel-beat--0");
        var (status, _) = await Client.PostAsync($"/api/v1/jobs/{id}/cancel", []);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);

        // The testbox never beats again (it died before it heard of the cancel).
        var ended = await EndedAsync(id);

        Assert.Equal("cancel", ended["job_health"]!.GetValue<string>());
        Assert.Null(ended["rescheduled_as"]);
        Assert.Null(await Client.ConsumeAsync("vm-cancel-beat--1", new Dictionary<string, string>(), 4, 2, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_cancelled_job_its_testbox_reports_as_crashed_is_not_rescheduled()
    {
        var id = await HeldAsync("vm-cancel-crash--0");
        await Client.StageAsync(id, "running", "vm-cancel-crash--0");
        await Client.PostAsync($"/api/v1/jobs/{id}/cancel", []);

        var (status, body) = await Client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject
        {
            ["health"] = "crash",
            ["testbox"] = "vm-cancel-crash--0",
            ["crash"] = new JsonObject { ["notify"] = "lab", ["cause"] = "testbox" },
        });

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Null(body!["rescheduled_as"]);
        Assert.Equal(0, await Client.PendingAsync());
    }
}
