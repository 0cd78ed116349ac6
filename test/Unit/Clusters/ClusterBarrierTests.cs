using System.Text.Json.Nodes;
using CompassCi.Grains.Clusters;

namespace CompassCi.Tests.Unit.Clusters;

public class ClusterBarrierTests
{
    private const string Server = "101";
    private const string Client1 = "102";
    private const string Client2 = "103";

    /// <summary>A server and two clients, made the way the scheduler makes them: split, then given ids.</summary>
    private static ClusterBarrier ThreeNodes()
    {
        var spec = ClusterTestData.ValidSpecJson("""
            {"ip0": 1, "nodes": {
              "vm-2p16g-multi-node--1": {"roles": ["server"], "macs": ["52:54:00:00:00:01"]},
              "vm-2p16g-multi-node--2": {"roles": ["client"], "macs": ["52:54:00:00:00:02"]},
              "vm-2p16g-multi-node--3": {"roles": ["client"]}
            }}
            """);
        var split = ClusterJobSplitter.Split(ClusterTestData.JobFile("pingpong.yaml"), spec, "cs-3");
        Assert.Empty(split.Errors);
        string[] ids = [Server, Client1, Client2];
        return ClusterBarrier.Create(ids.Zip(split.Jobs));
    }

    private static void AllWriteState(ClusterBarrier barrier)
    {
        Assert.Equal(BarrierUpdate.Applied, barrier.WriteState(Server, "server", "10.0.0.1", "52:54:00:00:00:01", "192.168.222.1"));
        Assert.Equal(BarrierUpdate.Applied, barrier.WriteState(Client1, "client", "10.0.0.2", "52:54:00:00:00:02", "192.168.222.2"));
        Assert.Equal(BarrierUpdate.Applied, barrier.WriteState(Client2, "client", "10.0.0.3", "", ""));
    }

    private static void AllReach(ClusterBarrier barrier, BarrierTarget target)
    {
        foreach (var id in new[] { Server, Client1, Client2 })
        {
            Assert.Equal(BarrierUpdate.Applied, barrier.Reach(id, target));
        }
    }

    [Fact]
    public void CreateTakesNodesRolesAndDirectAddressesFromTheNodeJobs()
    {
        var barrier = ThreeNodes();

        Assert.Equal(Server, barrier.ClusterId);
        Assert.Equal([Server, Client1, Client2], barrier.Nodes.Select(n => n.JobId));
        Assert.Equal(["vm-2p16g-multi-node--1", "vm-2p16g-multi-node--2", "vm-2p16g-multi-node--3"], barrier.Nodes.Select(n => n.Node));
        Assert.Equal(["server"], barrier.Nodes[0].Roles);
        Assert.Equal("192.168.222.2", barrier.Nodes[1].DirectIps);
        Assert.Null(barrier.Nodes[2].DirectIps);
        Assert.All(barrier.Nodes, n => Assert.Equal(ClusterNodeStates.None, n.State));
        Assert.All(barrier.Nodes, n => Assert.Null(n.Ip));
    }

    [Fact]
    public void AFullRunPassesEachBarrierOnlyWhenTheLastNodeArrives()
    {
        var barrier = ThreeNodes();
        AllWriteState(barrier);

        // wait_start
        barrier.Reach(Server, BarrierTarget.Start);
        barrier.Reach(Client1, BarrierTarget.Start);
        Assert.Equal(BarrierOutcome.Waiting, barrier.Evaluate(BarrierTarget.Start));
        barrier.Reach(Client2, BarrierTarget.Start);
        Assert.Equal(BarrierOutcome.Reached, barrier.Evaluate(BarrierTarget.Start));
        Assert.Equal(BarrierOutcome.Waiting, barrier.Evaluate(BarrierTarget.Ready));

        // roles_ip, then wait_ready
        Assert.Contains("server=10.0.0.1", barrier.RolesIp());
        barrier.Reach(Client1, BarrierTarget.Ready);
        barrier.Reach(Client2, BarrierTarget.Ready);
        Assert.Equal(BarrierOutcome.Waiting, barrier.Evaluate(BarrierTarget.Ready));
        barrier.Reach(Server, BarrierTarget.Ready);
        Assert.Equal(BarrierOutcome.Reached, barrier.Evaluate(BarrierTarget.Ready));

        // The clients run their tests and send finished; the daemon node sends wait_finish.
        barrier.Reach(Server, BarrierTarget.Finish);
        barrier.Reach(Client1, BarrierTarget.Finish);
        Assert.Equal(BarrierOutcome.Waiting, barrier.Evaluate(BarrierTarget.Finish));
        barrier.Reach(Client2, BarrierTarget.Finish);
        Assert.Equal(BarrierOutcome.Reached, barrier.Evaluate(BarrierTarget.Finish));
        Assert.All(barrier.Nodes, n => Assert.Equal(ClusterNodeStates.Finish, n.State));
    }

    [Fact]
    public void ASlowPollerStillPassesABarrierAFastNodeHasMovedOnFrom()
    {
        var barrier = ThreeNodes();
        AllReach(barrier, BarrierTarget.Ready);

        // Client1 saw ready, ran its test and finished before Client2 polled wait_ready again.
        barrier.Reach(Client1, BarrierTarget.Finish);

        Assert.Equal(BarrierOutcome.Reached, barrier.Evaluate(BarrierTarget.Ready));
        Assert.Equal(BarrierOutcome.Reached, barrier.Evaluate(BarrierTarget.Start));
    }

    [Fact]
    public void ALateOrRepeatedRequestDoesNotMoveANodeBack()
    {
        var barrier = ThreeNodes();
        barrier.Reach(Server, BarrierTarget.Finish);

        Assert.Equal(BarrierUpdate.Applied, barrier.Reach(Server, BarrierTarget.Start));

        Assert.Equal(ClusterNodeStates.Finish, barrier.Find(Server)!.State);
    }

    [Fact]
    public void AnAbortIsSeenByEveryWaiterAtEveryBarrierAndStays()
    {
        var barrier = ThreeNodes();
        AllReach(barrier, BarrierTarget.Start);

        Assert.Equal(BarrierUpdate.Applied, barrier.Abort(Client2));
        barrier.Reach(Server, BarrierTarget.Ready);
        barrier.Reach(Client1, BarrierTarget.Ready);
        barrier.Reach(Client2, BarrierTarget.Ready);

        Assert.Equal(ClusterNodeStates.Abort, barrier.Find(Client2)!.State);
        Assert.All(Enum.GetValues<BarrierTarget>(), t => Assert.Equal(BarrierOutcome.Abort, barrier.Evaluate(t)));
    }

    [Fact]
    public void AnAbortBeatsABarrierAlreadyReached()
    {
        var barrier = ThreeNodes();
        AllReach(barrier, BarrierTarget.Finish);

        barrier.Abort(Server);

        Assert.Equal(BarrierOutcome.Abort, barrier.Evaluate(BarrierTarget.Finish));
    }

    [Fact]
    public void RolesIpListsEveryNodeInClusterOrder()
    {
        var barrier = ThreeNodes();
        AllWriteState(barrier);

        Assert.Equal(
            [
                "direct_server_ips=192.168.222.1",
                "server=10.0.0.1",
                "direct_client_ips=192.168.222.2",
                "client=10.0.0.2",
                "client=10.0.0.3",
            ],
            barrier.RolesIp());
    }

    [Fact]
    public void RolesIpHasOneLinePerRoleAndSkipsNodesThatHaveNotReported()
    {
        var barrier = ThreeNodes();
        barrier.WriteState(Server, "server+client", "10.0.0.1", "aa:bb+cc:dd", "192.168.222.1+192.168.222.9");

        Assert.Equal(
            [
                "direct_server_ips=192.168.222.1 192.168.222.9",
                "server=10.0.0.1",
                "direct_client_ips=192.168.222.1 192.168.222.9",
                "client=10.0.0.1",
                "direct_client_ips=192.168.222.2",
            ],
            barrier.RolesIp());
    }

    [Fact]
    public void WriteStateAcceptsPlusOrSpaceSeparatedListsAndKeepsWhatIsNotSent()
    {
        var barrier = ThreeNodes();

        barrier.WriteState(Client1, "client monitor", "10.0.0.2", "aa:bb+cc:dd", "192.168.222.5 192.168.222.6");
        barrier.WriteState(Client1, null, " ", "", null);

        var node = barrier.Find(Client1)!;
        Assert.Equal(["client", "monitor"], node.Roles);
        Assert.Equal("10.0.0.2", node.Ip);
        Assert.Equal("aa:bb cc:dd", node.DirectMacs);
        Assert.Equal("192.168.222.5 192.168.222.6", node.DirectIps);
        Assert.Equal(ClusterNodeStates.None, node.State);
    }

    [Fact]
    public void AnUnknownJobIdChangesNothingAndSaysSo()
    {
        var barrier = ThreeNodes();
        var before = barrier.StateDocument().ToJsonString();

        Assert.Equal(BarrierUpdate.UnknownJob, barrier.WriteState("999", "server", "10.9.9.9"));
        Assert.Equal(BarrierUpdate.UnknownJob, barrier.Reach("999", BarrierTarget.Start));
        Assert.Equal(BarrierUpdate.UnknownJob, barrier.Abort("999"));
        Assert.Null(barrier.Find("999"));

        Assert.Equal(before, barrier.StateDocument().ToJsonString());
        Assert.Equal(BarrierOutcome.Waiting, barrier.Evaluate(BarrierTarget.Start));
    }

    [Fact]
    public void StateDocumentIsCompassCisClusterStateShape()
    {
        var barrier = ThreeNodes();
        barrier.WriteState(Server, "server", "10.0.0.1");
        barrier.Reach(Server, BarrierTarget.Start);

        var document = barrier.StateDocument();

        Assert.Equal([Server, Client1, Client2], document.Select(p => p.Key));
        Assert.Equal(
            """{"state":"start","roles":"server","ip":"10.0.0.1","direct_macs":"52:54:00:00:00:01","direct_ips":"192.168.222.1"}""",
            document[Server]!.ToJsonString());
        Assert.Equal("""{"state":"","roles":"client"}""", document[Client2]!.ToJsonString());
    }

    [Fact]
    public void CreateRefusesNoNodesAndRepeatedIds()
    {
        var job = new JsonObject { ["node_roles"] = "server" };

        Assert.Throws<ArgumentException>(() => ClusterBarrier.Create([]));
        Assert.Throws<ArgumentException>(() => ClusterBarrier.Create([("1", job), ("1", job)]));
    }

    [Fact]
    public void TheStateSurvivesAJsonRoundTrip()
    {
        // A grain persists the barrier as its state; a plain serializer must bring it back whole.
        var barrier = ThreeNodes();
        AllWriteState(barrier);
        barrier.Reach(Server, BarrierTarget.Ready);

        var copy = System.Text.Json.JsonSerializer.Deserialize<ClusterBarrier>(System.Text.Json.JsonSerializer.Serialize(barrier))!;

        Assert.Equal(barrier.ClusterId, copy.ClusterId);
        Assert.Equal(barrier.StateDocument().ToJsonString(), copy.StateDocument().ToJsonString());
        Assert.Equal(barrier.RolesIp(), copy.RolesIp());
    }
}
