using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Clusters;

/// <summary>Clusters that do not start, and barriers whose silo dies: nothing holds machines forever, nothing is forgotten.</summary>
public sealed class ClusterRecoveryTests(MariaDbFixture database)
{
    [Fact]
    public async Task A_node_that_never_starts_aborts_the_cluster_at_the_start_timeout_and_frees_the_other_testbox()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("clstart");
        await using var silo = await SiloProcess.StartAsync(connectionString, "clstart" + Guid.NewGuid().ToString("N")[..6], new Dictionary<string, string>
        {
            ["CompassCi__Clusters__StartTimeout"] = "00:00:03",
            ["CompassCi__Clusters__MaxHold"] = "00:00:01",
            ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
        });
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var submitted = await client.SubmitAsync(new JsonObject
        {
            ["suite"] = "iperf",
            ["my_account"] = "a",
            ["cluster_spec"] = new JsonObject { ["nodes"] = new JsonObject { ["vm-early--1"] = new JsonObject { ["roles"] = new JsonArray("server") }, ["vm-never--1"] = new JsonObject { ["roles"] = new JsonArray("client") } } },
        }, TestContext.Current.CancellationToken);
        var (early, never) = (submitted["jobs"]![0]!["id"]!.GetValue<string>(), submitted["jobs"]![1]!["id"]!.GetValue<string>());
        Assert.Equal(early, (await client.ConsumeAsync("vm-early--1", new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
        await client.StageAsync(early, "running");
        var node = new LkpSync(http, early, "inline", "vm-early--1");
        await node.WriteStateAsync("server", "10.9.0.1");

        // The early node waits for a partner that never comes, asking again on each retry as lkp does (a request is
        // held at most MaxHold, 1 s here); the start timeout (3 s) ends the wait with abort.
        var answers = new List<string>();
        for (var ask = 0; ask < 100 && (answers.Count == 0 || answers[^1] == "retry"); ask++)
        {
            answers.Add(await node.SyncAsync("wait_start"));
        }

        Assert.Equal("abort", answers[^1]);
        Assert.Contains("retry", answers);

        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetJobAsync(never))!["job_stage"]!.GetValue<string>() == "finish", TimeSpan.FromSeconds(20)), silo.Log());
        foreach (var id in new[] { early, never })
        {
            Assert.Equal("abort", (await client.GetJobAsync(id))!["job_health"]!.GetValue<string>());
        }

        Assert.Equal(0, await client.PendingAsync());
        Assert.Empty((await client.HeartbeatAsync("vm-early--1", 60))["jobs"]!.AsArray());
        var cluster = JsonNode.Parse(await http.GetStringAsync($"/api/v1/clusters/{early}", TestContext.Current.CancellationToken))!;
        Assert.Equal("aborted", cluster["outcome"]!.GetValue<string>());
        Assert.Contains("vm-never--1", cluster["abort_reason"]!.GetValue<string>(), StringComparison.Ordinal);
        // The freed testbox takes other work at once.
        var next = await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = "vm-early--1" }, TestContext.Current.CancellationToken);
        Assert.Equal(next["id"]!.GetValue<string>(), (await client.ConsumeAsync("vm-early--1", new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Killing_the_silo_that_hosts_a_barrier_mid_barrier_keeps_its_state_and_the_barrier_completes()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("clkill");
        var clusterId = "clkill" + Guid.NewGuid().ToString("N")[..6];
        await using var survivor = await SiloProcess.StartAsync(connectionString, clusterId);
        await using var victim = await SiloProcess.StartAsync(connectionString, clusterId);
        using var viaSurvivor = survivor.CreateClient();
        using var viaVictim = victim.CreateClient();
        var nodes = await ClusterBarrierTests.RunningClusterAsync(new SchedulerClient(viaSurvivor), 2, _ => viaSurvivor);
        var onVictim = new LkpSync(viaVictim, nodes[0].JobId, "inline", "first");

        // The barrier activates where it is first called (prefer-local placement): on the victim.
        await onVictim.WriteStateAsync("server", "10.8.0.1");
        await nodes[1].WriteStateAsync("client", "10.8.0.2");
        var waiting = new[] { nodes[0].SyncAsync("wait_start"), nodes[1].SyncAsync("wait_start") };
        Assert.True(await Eventually.HoldsAsync(
            async () => JsonNode.Parse(await viaSurvivor.GetStringAsync($"/api/v1/clusters/{nodes[0].JobId}"))!["nodes"]!.AsArray().Count(n => n!["state"]!.GetValue<string>() == "start") == 2,
            TimeSpan.FromSeconds(10)));

        await victim.KillAsync();
        await nodes[2].WriteStateAsync("client", "10.8.0.3");
        var last = await nodes[2].SyncAsync("wait_start");
        var answers = await Task.WhenAll(waiting);

        Assert.Equal("start", last);
        Assert.All(answers, a => Assert.Equal("start", a));
        // Addresses written before the kill survived it.
        Assert.Equal(["server=10.8.0.1", "client=10.8.0.2", "client=10.8.0.3"], (await nodes[2].SyncAsync("roles_ip")).Split('\n'));
    }

    [Fact]
    public async Task A_cluster_whose_last_node_job_succeeded_without_telling_its_barrier_is_finished_by_the_sweeper()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("clfinish");
        await using var silo = await SiloProcess.StartAsync(connectionString, "clfin" + Guid.NewGuid().ToString("N")[..6], new Dictionary<string, string>
        {
            ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
        });
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var submitted = await client.SubmitAsync(new JsonObject
        {
            ["suite"] = "iperf",
            ["my_account"] = "a",
            ["cluster_spec"] = new JsonObject { ["nodes"] = new JsonObject { ["vm-fin-a--1"] = new JsonObject { ["roles"] = new JsonArray("server") }, ["vm-fin-b--1"] = new JsonObject { ["roles"] = new JsonArray("client") } } },
        }, TestContext.Current.CancellationToken);
        var (first, last) = (submitted["jobs"]![0]!["id"]!.GetValue<string>(), submitted["jobs"]![1]!["id"]!.GetValue<string>());
        foreach (var (id, testbox) in new[] { (first, "vm-fin-a--1"), (last, "vm-fin-b--1") })
        {
            Assert.Equal(id, (await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
            await client.StageAsync(id, "running");
        }

        var (status, _) = await client.PostAsync($"/api/v1/jobs/{first}/finish", new JsonObject { ["health"] = "success" });
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        // The last node job ends in success, and the message that would tell its barrier is lost for good (no effect row).
        await Sql.ExecuteAsync(connectionString, $"UPDATE jobs SET job_stage = 'finish', job_health = 'success', finish_time = 1 WHERE id = {last}");

        Assert.True(
            await Eventually.HoldsAsync(async () => JsonNode.Parse(await http.GetStringAsync($"/api/v1/clusters/{first}"))!["outcome"]!.GetValue<string>() == "finished", TimeSpan.FromSeconds(20)),
            await http.GetStringAsync($"/api/v1/clusters/{first}", TestContext.Current.CancellationToken));
    }
}
