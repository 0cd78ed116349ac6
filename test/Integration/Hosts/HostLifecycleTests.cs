using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hosts;

/// <summary>Each host's history since its last wipe, recorded with every job that ends on it (osstest's host lifecycle).</summary>
public sealed class HostLifecycleTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private SchedulerClient Client => fixture.Client;

    private async Task<string> RunAsync(string testbox, JsonObject? extra = null)
    {
        var job = new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = testbox };
        foreach (var (k, v) in extra ?? [])
        {
            job[k] = v?.DeepClone();
        }

        var id = (await Client.SubmitAsync(job))["id"]!.GetValue<string>();
        Assert.Equal(id, (await Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5))!["id"]!.GetValue<string>());
        await Client.StageAsync(id, "running", testbox);
        return id;
    }

    private async Task<JsonNode> FinishAsync(string id, string health = "success")
    {
        var (status, body) = await Client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = health });
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    [Fact]
    public async Task Overlapping_jobs_on_one_host_mark_each_other_and_a_wipe_clears_the_history_for_later_jobs()
    {
        const string host = "h1";
        var boxes = Enumerable.Range(0, 3).Select(n => $"vm-2p8g--{host}-{n}").ToArray();
        var a = await RunAsync(boxes[0]);
        var b = await RunAsync(boxes[1]);
        var c = await RunAsync(boxes[2]);

        var endedA = await FinishAsync(a);
        var endedB = await FinishAsync(b);
        var endedC = await FinishAsync(c);
        var d = await RunAsync(boxes[0]);
        var endedD = await FinishAsync(d);

        Assert.Equal(host, endedA["host"]!.GetValue<string>());
        Assert.Equal($"+{b} +{c}", endedA["host_lifecycle"]!.GetValue<string>());
        Assert.Equal($"+{a} +{c}", endedB["host_lifecycle"]!.GetValue<string>());
        Assert.Equal($"+{a} +{b}", endedC["host_lifecycle"]!.GetValue<string>());
        Assert.Equal($"{a} {b} {c}", endedD["host_lifecycle"]!.GetValue<string>());
        var suspects = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/jobs/{d}/suspects", TestContext.Current.CancellationToken))!["suspects"]!.AsArray();
        Assert.Equal([a, b, c], suspects.Select(s => s!["job_id"]!.GetValue<string>()));

        using var wiped = await fixture.Http.PostAsync($"/api/v1/hosts/{host}/wiped", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, wiped.StatusCode);
        var e = await RunAsync(boxes[1]);
        var f = await RunAsync(boxes[2], new JsonObject { ["prepares_host"] = true });
        var endedE = await FinishAsync(e);

        Assert.Equal($"@+{f}", endedE["host_lifecycle"]!.GetValue<string>());
        var lifecycle = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/hosts/{host}/lifecycle", TestContext.Current.CancellationToken))!["jobs"]!.AsArray();
        Assert.Equal([e, f], lifecycle.Select(j => j!["job_id"]!.GetValue<string>()));
        Assert.True(lifecycle[1]!["setup"]!.GetValue<bool>());
        var hostView = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/hosts/{host}", TestContext.Current.CancellationToken))!;
        Assert.Equal(3, hostView["testboxes"]!.AsArray().Count);
        Assert.Equal(2, hostView["jobs_since_wipe"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_successful_job_flagged_wipes_host_starts_the_history_again()
    {
        var host = "hw" + Guid.NewGuid().ToString("N")[..4];
        var before = await RunAsync($"vm-2p8g--{host}-0");
        await FinishAsync(before);
        var reinstall = await RunAsync($"vm-2p8g--{host}-0", new JsonObject { ["wipes_host"] = true });
        await FinishAsync(reinstall);
        var after = await RunAsync($"vm-2p8g--{host}-1");

        var ended = await FinishAsync(after);

        Assert.Equal(string.Empty, ended["host_lifecycle"]!.GetValue<string>());
        Assert.NotNull(JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/hosts/{host}", TestContext.Current.CancellationToken))!["wiped_at"]);
    }

    [Fact]
    public async Task A_job_end_its_host_never_heard_of_is_told_again_by_the_sweeper()
    {
        var host = "hr" + Guid.NewGuid().ToString("N")[..4];
        var reinstall = await RunAsync($"vm-2p8g--{host}-0", new JsonObject { ["wipes_host"] = true });
        await FinishAsync(reinstall);
        Assert.Equal(1, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM job_effects WHERE job_id = {reinstall} AND kind = 'host_job_ended' AND done_at IS NOT NULL AND attempts = 1"));

        // As if the job grain's call to the host had been lost: the wipe never happened and the effect is still due.
        await Sql.ExecuteAsync(fixture.ConnectionString, $"UPDATE hosts SET wiped_at = NULL WHERE host = '{host}'");
        await Sql.ExecuteAsync(fixture.ConnectionString, $"UPDATE job_effects SET done_at = NULL, next_attempt_at = 0 WHERE job_id = {reinstall}");

        // The host wipes, then the effect is marked done: wait for both, not just the first.
        Assert.True(await Eventually.HoldsAsync(
            async () => await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM hosts WHERE host = '{host}' AND wiped_at IS NOT NULL") == 1
                        && await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM job_effects WHERE job_id = {reinstall} AND done_at IS NOT NULL AND attempts = 2") == 1,
            TimeSpan.FromSeconds(40)));
    }
}
