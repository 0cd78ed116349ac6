using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hosts;

/// <summary>Blame and quarantine: two testbox crashes in a row take a host out of service until it is released or its health check passes.</summary>
public sealed class QuarantineTests(MariaDbFixture database)
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["CompassCi__Hosts__HealthCheckJobs__vm-hc"] = "{\"suite\": \"host-info\", \"my_account\": \"lab\"}",
    };

    private static async Task<string> RunAsync(SchedulerClient client, string testbox, JsonObject? extra = null)
    {
        var job = new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = testbox };
        foreach (var (k, v) in extra ?? [])
        {
            job[k] = v?.DeepClone();
        }

        var id = (await client.SubmitAsync(job))["id"]!.GetValue<string>();
        Assert.Equal(id, (await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5))!["id"]!.GetValue<string>());
        await client.StageAsync(id, "running", testbox);
        return id;
    }

    private static async Task CrashAsync(SchedulerClient client, string id, string cause = "testbox")
    {
        var (status, _) = await client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject
        {
            ["health"] = "crash",
            ["crash"] = new JsonObject { ["cause"] = cause, ["notify"] = "lab", ["fatal"] = true },
        });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<HttpResponseMessage> ConsumeRawAsync(HttpClient http, string testbox) =>
        await http.PostAsync($"/api/v1/testboxes/{testbox}/consume", new StringContent("{\"wait_seconds\": 0}", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Two_testbox_crashes_quarantine_the_host_until_an_operator_releases_it()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("quarantine");
        await using var silo = await SiloProcess.StartAsync(connectionString, "quar" + Guid.NewGuid().ToString("N")[..6], Settings);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var (box0, box1) = ("vm-2p8g--h2-0", "vm-2p8g--h2-1");
        var setup = await RunAsync(client, box0, new JsonObject { ["prepares_host"] = true });
        var (_, _) = await client.PostAsync($"/api/v1/jobs/{setup}/finish", new JsonObject { ["health"] = "success" });
        var earlier = await RunAsync(client, box1);
        await client.PostAsync($"/api/v1/jobs/{earlier}/finish", new JsonObject { ["health"] = "failed" });
        var first = await RunAsync(client, box0);
        await CrashAsync(client, first);
        Assert.False(JsonNode.Parse(await http.GetStringAsync("/api/v1/hosts/h2", TestContext.Current.CancellationToken))!["quarantined"]!.GetValue<bool>());
        var second = await RunAsync(client, box1);
        await CrashAsync(client, second);

        var report = JsonNode.Parse(await http.GetStringAsync("/api/v1/hosts/h2", TestContext.Current.CancellationToken))!;
        Assert.True(report["quarantined"]!.GetValue<bool>());
        Assert.Contains(first, report["quarantine_reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([setup, earlier], report["suspects"]!.AsArray().Select(s => s!["job_id"]!.GetValue<string>()));
        Assert.Null(report["health_check_job_id"]);

        // A job waits for the host's testbox; the quarantined box gets nothing, and says why.
        var waiting = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = box0 }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        using (var refused = await ConsumeRawAsync(http, box0))
        {
            Assert.Equal(HttpStatusCode.NoContent, refused.StatusCode);
            Assert.Contains("h2", string.Join(' ', refused.Headers.GetValues("X-CompassCi-Quarantined")), StringComparison.Ordinal);
        }

        var why = JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs/{waiting}/why", TestContext.Current.CancellationToken))!["reasons"]!.AsArray();
        Assert.Contains(why, r => r!["code"]!.GetValue<string>() == "quarantined");
        var boxes = JsonNode.Parse(await http.GetStringAsync("/api/v1/testboxes", TestContext.Current.CancellationToken))!["testboxes"]!.AsArray();
        Assert.Equal("quarantined", boxes.Single(b => b!["testbox"]!.GetValue<string>() == box0)!["state"]!.GetValue<string>());

        using var release = await http.PostAsync("/api/v1/hosts/h2/release", null, TestContext.Current.CancellationToken);
        using var again = await http.PostAsync("/api/v1/hosts/h2/release", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(waiting, (await client.ConsumeAsync(box0, new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_quarantined_host_runs_its_health_check_job_and_is_released_when_it_passes()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("healthcheck");
        await using var silo = await SiloProcess.StartAsync(connectionString, "hc" + Guid.NewGuid().ToString("N")[..6], Settings);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var (box0, box1) = ("vm-hc--h3-0", "vm-hc--h3-1");
        await CrashAsync(client, await RunAsync(client, box0));
        await CrashAsync(client, await RunAsync(client, box1));
        var ordinary = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-hc" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();

        var report = JsonNode.Parse(await http.GetStringAsync("/api/v1/hosts/h3", TestContext.Current.CancellationToken))!;
        Assert.True(report["quarantined"]!.GetValue<bool>());
        var check = report["health_check_job_id"]!.GetValue<string>();

        // The box that crashed last gets the health check, and nothing else.
        var taken = (await client.ConsumeAsync(box1, new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken))!;
        Assert.Equal(check, taken["id"]!.GetValue<string>());
        Assert.Equal("h3", taken["host_health_check"]!.GetValue<string>());
        Assert.Null(await client.ConsumeAsync(box0, new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken));
        await client.StageAsync(check, "running", box1);
        var (finished, _) = await client.PostAsync($"/api/v1/jobs/{check}/finish", new JsonObject { ["health"] = "success" });

        Assert.Equal(HttpStatusCode.OK, finished);
        var released = JsonNode.Parse(await http.GetStringAsync("/api/v1/hosts/h3", TestContext.Current.CancellationToken))!;
        Assert.False(released["quarantined"]!.GetValue<bool>());
        Assert.Contains(check, released["release_reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(ordinary, (await client.ConsumeAsync(box0, new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_host_told_again_after_it_submitted_its_health_check_but_lost_its_quarantine_submits_no_second_check()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("quarantine");
        var settings = new Dictionary<string, string>(Settings)
        {
            ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
            ["CompassCi__Effects__RedriveAfter"] = "00:00:01",
        };
        await using var silo = await SiloProcess.StartAsync(connectionString, "quar" + Guid.NewGuid().ToString("N")[..6], settings);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        await CrashAsync(client, await RunAsync(client, "vm-hc--h7-0"));
        var last = await RunAsync(client, "vm-hc--h7-1");
        await CrashAsync(client, last);
        var check = await Sql.ScalarAsync<long>(connectionString, "SELECT health_check_job_id FROM hosts WHERE host = 'h7' AND quarantined = 1");

        // As if the host's grain died after submitting the health check and before recording the quarantine: the
        // quarantine is gone and the end of the job that caused it is told again.
        await Sql.ExecuteAsync(connectionString, "DELETE FROM hosts WHERE host = 'h7'");
        await Sql.ExecuteAsync(connectionString, $"UPDATE job_effects SET done_at = NULL, next_attempt_at = 0 WHERE job_id = {last} AND kind = 'host_job_ended'");

        Assert.True(
            await Eventually.HoldsAsync(async () => await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM hosts WHERE host = 'h7' AND quarantined = 1") == 1, TimeSpan.FromSeconds(20)),
            silo.Log());
        Assert.Equal(1, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs WHERE suite = 'host-info'"));
        Assert.Equal(check, await Sql.ScalarAsync<long>(connectionString, "SELECT health_check_job_id FROM hosts WHERE host = 'h7'"));
    }
}
