using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Clusters;

/// <summary>lkp-cluster-sync barriers over HTTP: nodes meet, exchange addresses, and share one fate.</summary>
public sealed class ClusterBarrierTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    /// <summary>Submits a cluster of one server and <paramref name="clients"/> clients, and has a testbox take and confirm each node job.</summary>
    internal static async Task<List<LkpSync>> RunningClusterAsync(SchedulerClient client, int clients, Func<int, HttpClient>? httpFor = null)
    {
        var group = "vm-cl-" + Guid.NewGuid().ToString("N")[..6];
        var nodes = new JsonObject { [$"{group}--1"] = new JsonObject { ["roles"] = new JsonArray("server") } };
        for (var n = 2; n <= clients + 1; n++)
        {
            nodes[$"{group}--{n}"] = new JsonObject { ["roles"] = new JsonArray("client") };
        }

        var submitted = await client.SubmitAsync(new JsonObject { ["suite"] = "iperf", ["my_account"] = "a", ["runtime"] = "300s", ["cluster_spec"] = new JsonObject { ["nodes"] = nodes } });
        var syncs = new List<LkpSync>();
        foreach (var (job, index) in submitted["jobs"]!.AsArray().Select((j, i) => (j!, i)))
        {
            var testbox = $"{group}--{index + 1}";
            var id = (await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5))!["id"]!.GetValue<string>();
            await client.StageAsync(id, "running", testbox);
            syncs.Add(new LkpSync(httpFor?.Invoke(index) ?? client.Http, id, "inline", testbox));
        }

        // The order testboxes took them in need not be the spec's; sort back to the spec's order (server first).
        var order = submitted["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ToList();
        return [.. syncs.OrderBy(s => order.IndexOf(s.JobId))];
    }

    [Fact]
    public async Task Three_nodes_run_the_lkp_sequence_concurrently_and_pass_every_barrier()
    {
        var nodes = await RunningClusterAsync(fixture.Client, 2);
        string[] roles = ["server", "client", "client"];

        var runs = nodes.Select((node, i) => Task.Run(async () =>
        {
            var answers = new List<string>();
            await node.WriteStateAsync(roles[i], $"10.0.0.{i + 1}");
            answers.Add(await node.SyncAsync("wait_start"));
            var rolesIp = await node.SyncAsync("roles_ip");
            answers.Add(await node.SyncAsync("wait_ready"));
            await node.SyncAsync("finished");
            answers.Add(await node.SyncAsync("wait_finish"));
            return (answers, rolesIp);
        })).ToList();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.Equal(["start", "ready", "finish"], r.answers));
        var lines = results[0].rolesIp.Split('\n');
        Assert.Equal(["server=10.0.0.1", "client=10.0.0.2", "client=10.0.0.3"], lines);
        Assert.All(results, r => Assert.Equal(results[0].rolesIp, r.rolesIp));

        // Every node job ends well: the cluster is finished.
        foreach (var node in nodes)
        {
            var (status, _) = await fixture.Client.PostAsync($"/api/v1/jobs/{node.JobId}/finish", new JsonObject { ["health"] = "success" });
            Assert.Equal(HttpStatusCode.OK, status);
        }

        // The last finish tells the barrier without waiting for it, so its outcome follows a moment later.
        async Task<JsonNode> ClusterAsync() => JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/clusters/{nodes[0].JobId}"))!;
        Assert.True(await Eventually.HoldsAsync(async () => (await ClusterAsync())["outcome"]!.GetValue<string>() == "finished", TimeSpan.FromSeconds(10)));
        var cluster = await ClusterAsync();
        Assert.All(cluster["nodes"]!.AsArray(), n => Assert.Equal("finish", n!["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_failed_node_aborts_every_waiter_within_a_second_and_the_other_node_jobs_are_closed()
    {
        var nodes = await RunningClusterAsync(fixture.Client, 2);
        for (var i = 0; i < nodes.Count; i++)
        {
            await nodes[i].WriteStateAsync(i == 0 ? "server" : "client", $"10.1.0.{i + 1}");
        }

        // Two nodes wait for ready; until the third arrives they are held.
        var waiters = nodes.Skip(1).Select(n => Task.Run(async () =>
        {
            var answer = await n.SyncAsync("wait_ready");
            return (answer, at: Stopwatch.GetTimestamp());
        })).ToList();
        Assert.True(await Eventually.HoldsAsync(
            async () => JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/clusters/{nodes[0].JobId}"))!["nodes"]!.AsArray().Count(n => n!["state"]!.GetValue<string>() == "ready") == 2,
            TimeSpan.FromSeconds(10)));
        Assert.All(waiters, w => Assert.False(w.IsCompleted));

        var failedAt = Stopwatch.GetTimestamp();
        await nodes[0].SyncAsync("failed");
        var answers = await Task.WhenAll(waiters);

        Assert.All(answers, a => Assert.Equal("abort", a.answer));
        Assert.All(answers, a => Assert.True(Stopwatch.GetElapsedTime(failedAt, a.at) < TimeSpan.FromSeconds(1), $"abort reached a waiter after {Stopwatch.GetElapsedTime(failedAt, a.at)}"));
        foreach (var other in nodes.Skip(1))
        {
            var job = (await fixture.Client.GetJobAsync(other.JobId))!;
            Assert.Equal("finish", job["job_stage"]!.GetValue<string>());
            Assert.Equal("abort", job["job_health"]!.GetValue<string>());
            Assert.True(job["abort"]!.GetValue<bool>());
        }

        Assert.Equal("running", (await fixture.Client.GetJobAsync(nodes[0].JobId))!["job_stage"]!.GetValue<string>());
        var cluster = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/clusters/{nodes[0].JobId}", TestContext.Current.CancellationToken))!;
        Assert.Equal("aborted", cluster["outcome"]!.GetValue<string>());
        Assert.Contains("reported failed", cluster["abort_reason"]!.GetValue<string>(), StringComparison.Ordinal);
        // A node asking again after the abort hears abort at once.
        Assert.Equal("abort", await nodes[1].SyncAsync("wait_finish"));
    }

    [Fact]
    public async Task A_crashed_node_job_aborts_the_cluster_and_is_not_rescheduled_alone()
    {
        var nodes = await RunningClusterAsync(fixture.Client, 1);
        await nodes[0].WriteStateAsync("server", "10.2.0.1");
        var waiting = nodes[0].SyncAsync("wait_start");

        var (status, crashed) = await fixture.Client.PostAsync($"/api/v1/jobs/{nodes[1].JobId}/finish", new JsonObject { ["health"] = "crash", ["crash"] = new JsonObject { ["cause"] = "testbox", ["notify"] = "lab" } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(crashed!["rescheduled_as"]);
        Assert.Equal("abort", await waiting);
        // The waiter hears abort as soon as the abort is saved; closing the other node job follows it.
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.Client.GetJobAsync(nodes[0].JobId))!["job_health"]?.GetValue<string>() == "abort", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_watch_stream_shows_each_node_transition_in_order()
    {
        var nodes = await RunningClusterAsync(fixture.Client, 1);
        using var watcher = fixture.Silo.CreateClient();
        using var stream = await watcher.GetStreamAsync($"/api/v1/clusters/{nodes[0].JobId}/watch", TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream);

        await Task.WhenAll(nodes.Select((n, i) => Task.Run(async () =>
        {
            await n.WriteStateAsync(i == 0 ? "server" : "client", $"10.3.0.{i + 1}");
            await n.SyncAsync("wait_start");
            await n.SyncAsync("wait_ready");
            await n.SyncAsync("finished");
        })));
        foreach (var node in nodes)
        {
            await fixture.Client.PostAsync($"/api/v1/jobs/{node.JobId}/finish", new JsonObject { ["health"] = "success" });
        }

        var events = new List<JsonNode>();
        string? eventName = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(timeout.Token) is { } line && eventName != "end")
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName != "end")
            {
                events.Add(JsonNode.Parse(line["data: ".Length..])!);
            }
        }

        Assert.Equal("end", eventName);
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e["seq"]!.GetValue<int>()));
        foreach (var node in nodes)
        {
            var mine = events.Where(e => e["job_id"]!.GetValue<string>() == node.JobId && e["node"]!.GetValue<string>().Length > 0).Select(e => e["event"]!.GetValue<string>());
            Assert.Equal(["write_state", "start", "ready", "finish"], mine);
        }

        Assert.Equal("finished", events[^1]["event"]!.GetValue<string>());
    }
}
