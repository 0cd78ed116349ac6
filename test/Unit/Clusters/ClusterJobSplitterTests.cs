using System.Text.Json.Nodes;
using CompassCi.Grains.Clusters;

namespace CompassCi.Tests.Unit.Clusters;

public class ClusterJobSplitterTests
{
    private static JsonObject Job(string json) => JsonNode.Parse(json)!.AsObject();

    private static IReadOnlyList<JsonObject> Split(JsonObject job, ClusterSpec spec, string cluster)
    {
        var result = ClusterJobSplitter.Split(job, spec, cluster);
        Assert.Empty(result.Errors);
        Assert.NotEmpty(result.Jobs);
        return result.Jobs;
    }

    private static string SingleErrorField(JsonObject job, ClusterSpec spec, string cluster = "cs-test")
    {
        var result = ClusterJobSplitter.Split(job, spec, cluster);
        Assert.Empty(result.Jobs);
        var field = Assert.Single(result.Errors.Keys);
        Assert.NotEmpty(Assert.Single(result.Errors[field]));
        return field;
    }

    private static string? Text(JsonObject job, string key) => job[key]?.GetValue<string>();

    private static bool HasRoleSection(JsonObject job) => job.Any(p => p.Key.StartsWith("if role", StringComparison.Ordinal));

    [Fact]
    public void PingpongOnTheSlotSpecGivesTheServerItsServerProgramAndTheClientItsClientProgram()
    {
        var job = ClusterTestData.JobFile("pingpong.yaml");
        var jobs = Split(job, ClusterTestData.Spec("cs-bay4-pair"), "cs-bay4-pair");

        Assert.Equal(2, jobs.Count);
        var (server, client) = (jobs[0], jobs[1]);

        Assert.True(server.ContainsKey("pingpong-server"));
        Assert.Null(server["pingpong-server"]);
        Assert.False(server.ContainsKey("pingpong"));
        Assert.Equal("""{"transport":["tcp","sctp"]}""", client["pingpong"]!.ToJsonString());
        Assert.False(client.ContainsKey("pingpong-server"));

        foreach (var (node, nodeJob) in new[] { ("bay4-8c32g--1", server), ("bay4-8c32g--2", client) })
        {
            Assert.False(HasRoleSection(nodeJob));
            // A slot node asks for any testbox of its group: testbox and queue would be tags no testbox offers.
            Assert.Null(Text(nodeJob, "testbox"));
            Assert.Equal("bay4-8c32g", Text(nodeJob, "tbox_group"));
            Assert.False(nodeJob.ContainsKey("queue"));
            Assert.Equal(2, nodeJob["nr_nic"]!.GetValue<int>());
            Assert.Equal("cs-bay4-pair", Text(nodeJob, "cluster"));
            Assert.Equal(node, Text(nodeJob, "cluster_node"));
            Assert.Equal("pingpong", Text(nodeJob, "suite"));
            Assert.Equal("240s", Text(nodeJob, "runtime"));
            Assert.False(nodeJob.ContainsKey("id"));
        }

        Assert.Equal("server", Text(server, "node_roles"));
        Assert.Equal("client", Text(client, "node_roles"));

        // The spec's MACs give direct addresses counting up from its ip0 (20).
        Assert.Equal("0a:c4:11:20:00:01", Text(server, "direct_macs"));
        Assert.Equal("192.168.222.20", Text(server, "direct_ips"));
        Assert.Equal("0a:c4:11:20:00:02 0a:c4:11:20:00:03", Text(client, "direct_macs"));
        Assert.Equal("192.168.222.21 192.168.222.22", Text(client, "direct_ips"));
    }

    [Fact]
    public void ASpecWithoutMacsGivesNoDirectAddresses()
    {
        var jobs = Split(ClusterTestData.JobFile("pingpong.yaml"), ClusterTestData.Spec("cs-edge-duo"), "cs-edge-duo");

        Assert.Equal(["edge-n1", "edge-n2"], jobs.Select(j => Text(j, "cluster_node")));
        // Top-level hosts without a slot number are machines: each job is pinned to its own.
        Assert.Equal(["edge-n1", "edge-n2"], jobs.Select(j => Text(j, "testbox")));
        Assert.Equal(["server", "client monitor"], jobs.Select(j => Text(j, "node_roles")));
        Assert.All(jobs, j =>
        {
            Assert.False(j.ContainsKey("direct_macs"));
            Assert.False(j.ContainsKey("direct_ips"));
        });
    }

    [Fact]
    public void LiftedProgramsTakeThePlaceOfTheirSection()
    {
        var jobs = Split(ClusterTestData.JobFile("pingpong.yaml"), ClusterTestData.Spec("cs-edge-duo"), "cs-edge-duo");

        // lkp runs programs in document order, so the lifted ones must stand where their section stood.
        Assert.Equal(["suite", "category", "runtime", "cluster", "pingpong-server", "my_account"], jobs[0].Select(p => p.Key).Take(6));
        Assert.Equal(["suite", "category", "runtime", "cluster", "pingpong", "my_account"], jobs[1].Select(p => p.Key).Take(6));
    }

    [Fact]
    public void TheSubmittedJobIsLeftAlone()
    {
        var job = ClusterTestData.JobFile("pingpong.yaml");
        var before = job.ToJsonString();

        var jobs = Split(job, ClusterTestData.Spec("cs-bay4-pair"), "cs-bay4-pair");
        jobs[1]["pingpong"]!["transport"]!.AsArray().Add("udp");

        Assert.Equal(before, job.ToJsonString());
    }

    [Fact]
    public void TheFirstDocumentOfAStreamJobKeepsItsSettingsAndGetsOneProgramPerRole()
    {
        var job = ClusterTestData.JobFile("relay-stream.yaml");
        var jobs = Split(job, ClusterTestData.Spec("cs-bay4-pair"), "cs-rack7-pair");

        Assert.Equal(2, jobs.Count);
        Assert.True(jobs[0].ContainsKey("relay-sink"));
        Assert.False(jobs[0].ContainsKey("relay-source"));
        Assert.Equal("""{"pattern":["burst","steady","ramp"],"duration":[20]}""", jobs[1]["relay-source"]!.ToJsonString());
        Assert.All(jobs, j =>
        {
            Assert.False(HasRoleSection(j));
            Assert.Equal("900", j["runtime"]!.ToJsonString());
            Assert.Equal("1", j["pin_irqs"]!.ToJsonString());
            Assert.Equal("""["inet"]""", j["family"]!.ToJsonString());
            Assert.Equal("cs-rack7-pair", Text(j, "cluster"));
        });
    }

    [Fact]
    public void CsLocalhostIsOneJobWithBothRolesOnTheTestboxItWasSubmittedFor()
    {
        var job = ClusterTestData.JobFile("pingpong.yaml");
        job["testbox"] = "vm-2p8g--7";

        var local = Assert.Single(Split(job, ClusterTestData.Spec("cs-localhost"), ClusterJobSplitter.LocalClusterName));

        Assert.False(HasRoleSection(local));
        Assert.True(local.ContainsKey("pingpong-server"));
        Assert.True(local.ContainsKey("pingpong"));
        Assert.Equal(["pingpong-server", "pingpong"], local.Select(p => p.Key).Where(k => k.StartsWith("pingpong", StringComparison.Ordinal)));
        Assert.Equal("server client", Text(local, "node_roles"));
        Assert.Equal("cs-localhost", Text(local, "cluster"));
        Assert.Equal("vm-2p8g--7", Text(local, "testbox"));
        Assert.False(local.ContainsKey("queue"));
        Assert.False(local.ContainsKey("nr_nic"));
        Assert.False(local.ContainsKey("cluster_node"));
    }

    [Fact]
    public void SixNodesOnlyThoseWithAJobRoleGetJobsInSpecOrder()
    {
        var spec = ClusterTestData.ValidSpecJson("""
            {"nodes": {
              "vm-4p8g--1": {"roles": ["server"]},
              "vm-2p4g--1": {"roles": ["client"]},
              "vm-2p4g--2": {"roles": ["client"]},
              "monitor-host": {"roles": ["monitor"]},
              "vm-2p4g--3": {"roles": ["client", "monitor"]},
              "dc-8g.lab": {"roles": ["server", "client"]}
            }}
            """);
        var job = Job("""{"suite": "iperf", "my_account": "a", "if role server": {"iperf-server": null}, "if role client": {"iperf": {"protocol": "tcp"}}, "if role monitor": {"sar": null}}""");

        var jobs = Split(job, spec, "cs-6");

        Assert.Equal(["vm-4p8g--1", "vm-2p4g--1", "vm-2p4g--2", "vm-2p4g--3", "dc-8g.lab"], jobs.Select(j => Text(j, "cluster_node")));
        Assert.Equal([null, null, null, null, "dc-8g.lab"], jobs.Select(j => Text(j, "testbox")));
        Assert.Equal(["vm-4p8g", "vm-2p4g", "vm-2p4g", "vm-2p4g", "dc-8g"], jobs.Select(j => Text(j, "tbox_group")));
        Assert.Equal(["server", "client", "client", "client monitor", "server client"], jobs.Select(j => Text(j, "node_roles")));

        // A node gets the sections of all its roles, also of roles the job did not ask for.
        Assert.Equal(["iperf", "sar"], jobs[3].Select(p => p.Key).Where(k => k is "iperf" or "iperf-server" or "sar"));
        Assert.Equal(["iperf-server", "iperf"], jobs[4].Select(p => p.Key).Where(k => k is "iperf" or "iperf-server" or "sar"));
    }

    [Fact]
    public void NodeRolesChoosesTheNodes()
    {
        var spec = ClusterTestData.Spec("cs-bay4-pair");

        var clientsOnly = Split(Job("""{"suite": "s", "node_roles": "client"}"""), spec, "cs-bay4-pair");
        var plusJoined = Split(Job("""{"suite": "s", "node_roles": "server+client"}"""), spec, "cs-bay4-pair");
        var asList = Split(Job("""{"suite": "s", "node_roles": ["server"]}"""), spec, "cs-bay4-pair");

        Assert.Equal(["bay4-8c32g--2"], clientsOnly.Select(j => Text(j, "cluster_node")));
        Assert.Equal(2, plusJoined.Count);
        Assert.Equal(["bay4-8c32g--1"], asList.Select(j => Text(j, "cluster_node")));
    }

    [Fact]
    public void TheMachineSpecPinsEachMachineAndNumbersOnlyTheNodesThatGetAJob()
    {
        var spec = ClusterTestData.Spec("cs-quarry-mix");
        var job = Job("""{"suite": "store", "my_account": "a", "node_roles": "store2 loader1 loader3"}""");

        var jobs = Split(job, spec, "cs-quarry-mix");

        Assert.Equal(["quarry-2s64c-512g--q08", "quarry-1s32c-128g--q21", "quarry-1s32c-128g--q22"], jobs.Select(j => Text(j, "testbox")));
        Assert.Equal(["quarry-2s64c-512g", "quarry-1s32c-128g", "quarry-1s32c-128g"], jobs.Select(j => Text(j, "tbox_group")));
        Assert.Equal(["store2", "loader1 loader2", "loader3"], jobs.Select(j => Text(j, "node_roles")));
        // store1 (q07) gets no job, so ip0 (40) goes to q08's two MACs; q21 has none.
        Assert.Equal(["192.168.222.40 192.168.222.41", null, "192.168.222.42"], jobs.Select(j => Text(j, "direct_ips")));
    }

    [Fact]
    public void CephLikeSpecGivesEachMacADirectIpCountingUpFromIp0()
    {
        var spec = ClusterTestData.ValidSpec(ClusterTestData.ParseYaml("""
            switch: Switch-P12
            ip0: 10
            nodes:
              taishan200-2280-2s48p-256g--a99:
                roles: [ cephnode1 ]
                macs: [ "44:67:47:d7:6d:14" ]
              taishan200-2280-2s48p-256g--a32:
                roles: [ cephnode2 ]
                macs: [ "44:67:47:c9:db:38", "44:67:47:c9:db:39" ]
              taishan200-2280-2s48p-256g--a50:
                roles: [ spare ]
                macs: [ "44:67:47:00:00:01" ]
              taishan200-2280-2s64p-256g--a117:
                roles: [ cephclient1 ]
              taishan200-2280-2s64p-256g--a118:
                roles: [ cephclient2 ]
                macs: [ "44:67:47:e9:78:cf" ]
            """));
        var job = Job("""{"suite": "ceph", "my_account": "a", "node_roles": "cephnode1 cephnode2 cephclient1 cephclient2"}""");

        var jobs = Split(job, spec, "ceph-cluster");

        Assert.Equal(4, jobs.Count);
        Assert.Equal("44:67:47:d7:6d:14", Text(jobs[0], "direct_macs"));
        Assert.Equal("192.168.222.10", Text(jobs[0], "direct_ips"));
        Assert.Equal("44:67:47:c9:db:38 44:67:47:c9:db:39", Text(jobs[1], "direct_macs"));
        Assert.Equal("192.168.222.11 192.168.222.12", Text(jobs[1], "direct_ips"));
        Assert.False(jobs[2].ContainsKey("direct_ips"));

        // The spare node gets no job, so it takes no address (as in compass-ci).
        Assert.Equal("192.168.222.13", Text(jobs[3], "direct_ips"));

        // --a99 names one machine, not a slot: its job is pinned to it, in its group.
        Assert.Equal("taishan200-2280-2s48p-256g--a99", Text(jobs[0], "testbox"));
        Assert.False(jobs[0].ContainsKey("queue"));
        Assert.Equal("taishan200-2280-2s48p-256g", Text(jobs[0], "tbox_group"));
    }

    [Fact]
    public void DirectIpsMayEndAt254()
    {
        var spec = ClusterTestData.ValidSpecJson("""{"ip0": 253, "nodes": {"a--1": {"roles": ["server"], "macs": ["m1"]}, "b--1": {"roles": ["client"], "macs": ["m2"]}}}""");

        var jobs = Split(Job("""{"suite": "s"}"""), spec, "c");

        Assert.Equal(["192.168.222.253", "192.168.222.254"], jobs.Select(j => Text(j, "direct_ips")));
    }

    [Fact]
    public void DirectIpsPast254AreAnErrorOnTheNodesMacs()
    {
        var spec = ClusterTestData.ValidSpecJson("""{"ip0": 253, "nodes": {"a--1": {"roles": ["server"], "macs": ["m1"]}, "b--1": {"roles": ["client"], "macs": ["m2", "m3"]}}}""");

        Assert.Equal("nodes.b--1.macs", SingleErrorField(Job("""{"suite": "s"}"""), spec));
    }

    [Fact]
    public void NoNodeWithAJobRoleIsAnErrorOnNodeRoles()
    {
        Assert.Equal("node_roles", SingleErrorField(Job("""{"suite": "s", "node_roles": "monitor"}"""), ClusterTestData.Spec("cs-bay4-pair")));
    }

    [Theory]
    [InlineData("""{"node_roles": ""}""", "node_roles")]
    [InlineData("""{"node_roles": 5}""", "node_roles")]
    [InlineData("""{"node_roles": [1]}""", "node_roles")]
    [InlineData("""{"if role server": "iperf-server"}""", "if role server")]
    [InlineData("""{"if role client": ["iperf"]}""", "if role client")]
    public void BadJobFieldsAreNamed(string json, string field)
    {
        Assert.Equal(field, SingleErrorField(Job(json), ClusterTestData.Spec("cs-bay4-pair")));
    }

    [Fact]
    public void AnEmptySectionAddsNothing()
    {
        var jobs = Split(Job("""{"suite": "s", "if role server": null, "if role client": {}}"""), ClusterTestData.Spec("cs-bay4-pair"), "c");

        Assert.All(jobs, j => Assert.False(HasRoleSection(j)));
        Assert.Equal(jobs[0].Select(p => p.Key), jobs[1].Select(p => p.Key));
    }

    [Fact]
    public void ASectionOverridesTheSameTopLevelKeyInPlace()
    {
        var job = Job("""{"suite": "s", "netperf": {"runtime": 10}, "if role client": {"netperf": {"runtime": 60}}, "if role server": {"netserver": null}}""");

        var jobs = Split(job, ClusterTestData.Spec("cs-bay4-pair"), "c");

        Assert.Equal("""{"runtime":10}""", jobs[0]["netperf"]!.ToJsonString());
        Assert.Equal("""{"runtime":60}""", jobs[1]["netperf"]!.ToJsonString());
        Assert.Equal(["suite", "netperf"], jobs[1].Select(p => p.Key).Take(2));
    }

    [Fact]
    public void ASectionAfterWhichTheKeyReappearsStillWins()
    {
        var job = Job("""{"suite": "s", "if role client": {"netperf": {"runtime": 60}}, "netperf": {"runtime": 10}}""");

        var client = Split(job, ClusterTestData.Spec("cs-bay4-pair"), "c")[1];

        Assert.Equal("""{"runtime":60}""", client["netperf"]!.ToJsonString());
    }

    [Theory]
    [InlineData("vm-2p16g-multi-node--1", "vm-2p16g-multi-node")]
    [InlineData("vm-2p16g-multi-node--12", "vm-2p16g-multi-node")]
    [InlineData("localhost", "localhost")]
    [InlineData("taishan200-2280-2s48p-256g--a99", "taishan200-2280-2s48p-256g--a99")]
    [InlineData("host--", "host--")]
    [InlineData("--1", "--1")]
    [InlineData("a--b--2", "a--b")]
    public void TestboxOfDropsOnlyANumericSlotSuffix(string node, string testbox)
    {
        Assert.Equal(testbox, ClusterJobSplitter.TestboxOf(node));
    }

    [Theory]
    [InlineData("if role server", "server")]
    [InlineData("if role  client ", "client")]
    [InlineData("if role server client", "server")]
    [InlineData("if role ", "")]
    [InlineData("if roles server", null)]
    [InlineData("iperf", null)]
    public void SectionRoleIsTheFirstWordAfterIfRole(string key, string? role)
    {
        Assert.Equal(role, ClusterJobSplitter.SectionRole(key));
    }
}
