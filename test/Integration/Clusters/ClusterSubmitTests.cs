using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Fixtures;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Clusters;

/// <summary>Cluster jobs split by spec into node jobs, over HTTP against MariaDB, with job files and cluster specs in lkp-tests' formats as input.</summary>
public sealed class ClusterSubmitTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Pingpong_on_the_stored_two_node_spec_gives_a_server_job_and_a_client_job_pinned_to_the_group()
    {
        var jobs = await SubmitOnStoredSpecAsync(
            LkpFixtures.ReadCluster("cs-bay4-pair"), LkpFixtures.ReadJob("pingpong.yaml"), "bay4-8c32g", "pingpong-server", "pingpong");

        // The spec's MACs give each node direct addresses counting up from its ip0.
        Assert.Equal(["192.168.222.20", "192.168.222.21 192.168.222.22"], jobs.Select(j => j["direct_ips"]!.GetValue<string>()));
    }

    /// <summary>The same with lkp-tests' own files: jobs/iperf.yaml on cluster/cs-vm-2p16g.</summary>
    [Fact]
    public async Task Real_lkp_iperf_on_the_stored_cs_vm_2p16g_spec_gives_a_server_job_and_a_client_job()
    {
        var lkp = LkpFixtures.RealTree();

        var jobs = await SubmitOnStoredSpecAsync(
            await File.ReadAllTextAsync(Path.Combine(lkp, "cluster", "cs-vm-2p16g"), TestContext.Current.CancellationToken),
            await File.ReadAllTextAsync(Path.Combine(lkp, "jobs", "iperf.yaml"), TestContext.Current.CancellationToken),
            "vm-2p16g-multi-node",
            "iperf-server",
            "iperf");

        Assert.All(jobs, j => Assert.False(j.ContainsKey("direct_ips")));
    }

    /// <summary>
    /// Stores <paramref name="specYaml"/> under a new name (twice: created, then replaced), submits <paramref name="jobYaml"/>
    /// (whose <c>cluster: cs-localhost</c> is pointed at that spec) and checks what every two-slot server/client spec of
    /// <paramref name="group"/> must give: two pending node jobs of one active cluster, which the group's testboxes take.
    /// </summary>
    private async Task<List<JsonObject>> SubmitOnStoredSpecAsync(string specYaml, string jobYaml, string group, string serverProgram, string clientProgram)
    {
        var spec = "cs-" + group + "-" + Guid.NewGuid().ToString("N")[..6];
        var (put, _) = await SendAsync(HttpMethod.Put, $"/api/v1/cluster-specs/{spec}", specYaml, "application/yaml");
        var (again, _) = await SendAsync(HttpMethod.Put, $"/api/v1/cluster-specs/{spec}", specYaml, "application/yaml");
        Assert.Contains("cluster: cs-localhost", jobYaml, StringComparison.Ordinal);
        var job = jobYaml.Replace("cluster: cs-localhost", $"cluster: {spec}", StringComparison.Ordinal) + "\nmy_account: alice\n";

        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/jobs", job, "application/yaml");

        Assert.Equal(HttpStatusCode.Created, put);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(HttpStatusCode.Created, status);
        var jobs = body!["jobs"]!.AsArray().Select(j => j!.AsObject()).ToList();
        Assert.Equal(2, jobs.Count);
        var clusterId = body["id"]!.GetValue<string>();
        Assert.Equal(clusterId, jobs[0]["id"]!.GetValue<string>());
        Assert.All(jobs, j => Assert.Equal(clusterId, j["cluster_id"]!.GetValue<string>()));
        Assert.Equal(["server", "client"], jobs.Select(j => j["node_roles"]!.GetValue<string>()));
        Assert.Equal([group + "--1", group + "--2"], jobs.Select(j => j["cluster_node"]!.GetValue<string>()));
        Assert.All(jobs, j => Assert.Equal(group, j["tbox_group"]!.GetValue<string>()));
        Assert.True(jobs[0].ContainsKey(serverProgram));
        Assert.False(jobs[0].ContainsKey(clientProgram));
        Assert.True(jobs[1].ContainsKey(clientProgram));
        Assert.False(jobs[1].ContainsKey(serverProgram));
        Assert.DoesNotContain(jobs.SelectMany(j => j.Select(kv => kv.Key)), k => k.StartsWith("if role", StringComparison.Ordinal));

        // Both are real pending jobs that the group's testboxes take, and the cluster exists with both nodes.
        var taken = new[]
        {
            (await fixture.Client.ConsumeAsync(group + "--7", new Dictionary<string, string>(), 16, 5))!["id"]!.GetValue<string>(),
            (await fixture.Client.ConsumeAsync(group + "--8", new Dictionary<string, string>(), 16, 5))!["id"]!.GetValue<string>(),
        };
        Assert.Equal(jobs.Select(j => j["id"]!.GetValue<string>()).Order(), taken.Order());
        var cluster = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/clusters/{clusterId}"))!;
        Assert.Equal("active", cluster["outcome"]!.GetValue<string>());
        Assert.Equal(2, cluster["nodes"]!.AsArray().Count);
        return jobs;
    }

    [Fact]
    public async Task A_six_node_inline_spec_gives_six_node_jobs_and_a_spec_with_macs_gives_direct_ips_from_ip0()
    {
        var six = new JsonObject { ["nodes"] = new JsonObject() };
        for (var n = 1; n <= 6; n++)
        {
            six["nodes"]![$"vm-six--{n}"] = new JsonObject { ["roles"] = new JsonArray(n <= 2 ? "server" : "client") };
        }

        var sixJob = new JsonObject { ["suite"] = "netperf", ["my_account"] = "a", ["cluster_spec"] = six, ["if role server"] = new JsonObject { ["netserver"] = null }, ["if role client"] = new JsonObject { ["netperf"] = new JsonObject { ["test"] = "TCP_RR" } } };
        var ceph = new JsonObject
        {
            ["switch"] = "Switch-P12",
            ["ip0"] = 10,
            ["nodes"] = new JsonObject
            {
                ["taishan200-2280-2s48p-256g--a99"] = new JsonObject { ["roles"] = new JsonArray("server"), ["macs"] = new JsonArray("44:67:47:d7:6d:bc", "44:67:47:d7:6d:bd") },
                ["taishan200-2280-2s48p-256g--a100"] = new JsonObject { ["roles"] = new JsonArray("client"), ["macs"] = new JsonArray("44:67:47:85:d5:98") },
            },
        };
        var (putCeph, _) = await SendAsync(HttpMethod.Put, "/api/v1/cluster-specs/cs-ceph-like", ceph.ToJsonString(), "application/json");

        var (sixStatus, sixBody) = await SendAsync(HttpMethod.Post, "/api/v1/jobs", sixJob.ToJsonString(), "application/json");
        var (cephStatus, cephBody) = await SendAsync(HttpMethod.Post, "/api/v1/jobs", new JsonObject { ["suite"] = "ceph", ["my_account"] = "a", ["cluster"] = "cs-ceph-like" }.ToJsonString(), "application/json");

        Assert.Equal(HttpStatusCode.Created, putCeph);
        Assert.Equal(HttpStatusCode.Created, sixStatus);
        var sixJobs = sixBody!["jobs"]!.AsArray().Select(j => j!.AsObject()).ToList();
        Assert.Equal(6, sixJobs.Count);
        Assert.Equal(2, sixJobs.Count(j => j.ContainsKey("netserver")));
        Assert.Equal(4, sixJobs.Count(j => j["netperf"]?["test"]?.GetValue<string>() == "TCP_RR"));
        Assert.Equal(6, sixJobs.Select(j => j["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(HttpStatusCode.Created, cephStatus);
        var cephJobs = cephBody!["jobs"]!.AsArray().Select(j => j!.AsObject()).ToList();
        Assert.Equal(["192.168.222.10 192.168.222.11", "192.168.222.12"], cephJobs.Select(j => j["direct_ips"]!.GetValue<string>()));
        Assert.Equal("44:67:47:d7:6d:bc 44:67:47:d7:6d:bd", cephJobs[0]["direct_macs"]!.GetValue<string>());
        // A named machine is pinned to itself, not to a group.
        Assert.Equal(["taishan200-2280-2s48p-256g--a99", "taishan200-2280-2s48p-256g--a100"], cephJobs.Select(j => j["testbox"]!.GetValue<string>()));
        var cluster = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/clusters/{cephBody["id"]!.GetValue<string>()}", TestContext.Current.CancellationToken))!;
        Assert.Equal("192.168.222.12", cluster["nodes"]![1]!["direct_ips"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cs_localhost_stays_one_ordinary_job_playing_every_role()
    {
        var job = LkpFixtures.ReadJob("pingpong.yaml") + "\nmy_account: alice\ntestbox: vm-local--1\n";

        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/jobs", job, "application/yaml");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Null(body!["jobs"]);
        Assert.Null(body["cluster_id"]);
        Assert.Equal("server client", body["node_roles"]!.GetValue<string>());
        Assert.Equal("cs-localhost", body["cluster"]!.GetValue<string>());
        Assert.True(body.AsObject().ContainsKey("pingpong-server"));
        Assert.True(body.AsObject().ContainsKey("pingpong"));
    }

    [Fact]
    public async Task Bad_cluster_requests_get_400_naming_the_field_and_store_nothing()
    {
        var before = await Sql.ScalarAsync<long>(fixture.ConnectionString, "SELECT COUNT(*) FROM jobs");
        var cases = new (string Why, string Body, string Field)[]
        {
            ("unknown spec", "{\"suite\": \"s\", \"my_account\": \"a\", \"cluster\": \"cs-nowhere\"}", "cluster"),
            ("spec without nodes", "{\"suite\": \"s\", \"my_account\": \"a\", \"cluster_spec\": {\"ip0\": 1}}", "cluster_spec.nodes"),
            ("ip0 past 254", "{\"suite\": \"s\", \"my_account\": \"a\", \"cluster_spec\": {\"ip0\": 254, \"nodes\": {\"h--1\": {\"roles\": [\"server\"], \"macs\": [\"a\", \"b\"]}}}}", "nodes.h--1.macs"),
            ("no node plays a job role", "{\"suite\": \"s\", \"my_account\": \"a\", \"node_roles\": \"witness\", \"cluster_spec\": {\"nodes\": {\"h--1\": {\"roles\": [\"server\"]}}}}", "node_roles"),
        };

        foreach (var (why, body, field) in cases)
        {
            var (status, problem) = await SendAsync(HttpMethod.Post, "/api/v1/jobs", body, "application/json");
            Assert.True(status == HttpStatusCode.BadRequest, $"{why}: {status} {problem?.ToJsonString()}");
            Assert.True(problem!["errors"]?[field] is JsonArray, $"{why}: no error for {field} in {problem.ToJsonString()}");
        }

        var (badSpec, specProblem) = await SendAsync(HttpMethod.Put, "/api/v1/cluster-specs/cs-bad", "nodes:\n  h1:\n    roles: 42\n", "application/yaml");
        Assert.Equal(HttpStatusCode.BadRequest, badSpec);
        Assert.NotNull(specProblem!["errors"]!["nodes.h1.roles"]);
        Assert.Equal(before, await Sql.ScalarAsync<long>(fixture.ConnectionString, "SELECT COUNT(*) FROM jobs"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(fixture.ConnectionString, "SELECT COUNT(*) FROM cluster_specs WHERE name = 'cs-bad'"));
    }
}
