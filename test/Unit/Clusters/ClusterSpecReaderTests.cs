using System.Text.Json.Nodes;
using CompassCi.Grains.Clusters;

namespace CompassCi.Tests.Unit.Clusters;

public class ClusterSpecReaderTests
{
    private static string SingleErrorField(string json)
    {
        var result = ClusterSpecReader.Read(JsonNode.Parse(json));
        Assert.Null(result.Spec);
        var field = Assert.Single(result.Errors.Keys);
        Assert.NotEmpty(Assert.Single(result.Errors[field]));
        return field;
    }

    [Theory]
    [InlineData("cs-vm-2p16g", "vm-2p16g-multi-node")]
    [InlineData("cs-vm-2p32g", "vm-2p32g-multi-node")]
    public void TheLkpVmSpecsHaveAServerSlotThenAClientSlot(string file, string group)
    {
        var spec = ClusterTestData.Spec(file);

        Assert.Null(spec.Switch);
        Assert.Equal(1, spec.Ip0);
        Assert.False(spec.NodesAtTopLevel);
        Assert.Equal([group + "--1", group + "--2"], spec.Nodes.Select(n => n.Name));
        Assert.Equal(["server"], spec.Nodes[0].Roles);
        Assert.Equal(["client"], spec.Nodes[1].Roles);
        Assert.All(spec.Nodes, n => Assert.Empty(n.Macs));
    }

    [Fact]
    public void CsLocalhostIsReadInTheOlderTopLevelLayout()
    {
        var spec = ClusterTestData.Spec("cs-localhost");

        Assert.True(spec.NodesAtTopLevel);
        Assert.Equal(ClusterSpec.DefaultIp0, spec.Ip0);
        var node = Assert.Single(spec.Nodes);
        Assert.Equal("localhost", node.Name);
        Assert.Equal(["server", "client"], node.Roles);
    }

    [Fact]
    public void SwitchIp0AndMacsAreRead()
    {
        var spec = ClusterTestData.ValidSpec(ClusterTestData.ParseYaml("""
            switch: Switch-P12
            ip0: 7
            nodes:
              taishan200-2280-2s48p-256g--a99:
                roles: [ cephnode1 ]
                macs: [ "44:67:47:d7:6d:14", "44:67:47:d7:6d:15" ]
              taishan200-2280-2s64p-256g--a117:
                roles: cephclient1 cephclient2
            """));

        Assert.Equal("Switch-P12", spec.Switch);
        Assert.Equal(7, spec.Ip0);
        Assert.Equal(["44:67:47:d7:6d:14", "44:67:47:d7:6d:15"], spec.Nodes[0].Macs);
        Assert.Equal(["cephclient1", "cephclient2"], spec.Nodes[1].Roles);
        Assert.Empty(spec.Nodes[1].Macs);
    }

    [Fact]
    public void NodesKeepDocumentOrderAndDuplicateRolesCollapse()
    {
        var spec = ClusterTestData.ValidSpecJson("""
            {"nodes": {"z--1": {"roles": ["server", "server"]}, "a--1": {"roles": ["client"]}, "m--1": {"roles": ["client"], "macs": null}}}
            """);

        Assert.Equal(["z--1", "a--1", "m--1"], spec.Nodes.Select(n => n.Name));
        Assert.Equal(["server"], spec.Nodes[0].Roles);
    }

    [Theory]
    [InlineData("null", "nodes")]
    [InlineData("[]", "nodes")]
    [InlineData("\"cs-localhost\"", "nodes")]
    [InlineData("{}", "nodes")]
    [InlineData("""{"ip0": 1}""", "nodes")]
    [InlineData("""{"nodes": []}""", "nodes")]
    [InlineData("""{"nodes": {}}""", "nodes")]
    [InlineData("""{"nodes": null}""", "nodes")]
    [InlineData("""{"nodes": {"h--1": null}}""", "nodes.h--1")]
    [InlineData("""{"nodes": {"h--1": ["server"]}}""", "nodes.h--1")]
    [InlineData("""{"nodes": {"two words": {"roles": ["server"]}}}""", "nodes.two words")]
    [InlineData("""{"nodes": {"h--1": {}}}""", "nodes.h--1.roles")]
    [InlineData("""{"nodes": {"h--1": {"roles": []}}}""", "nodes.h--1.roles")]
    [InlineData("""{"nodes": {"h--1": {"roles": ""}}}""", "nodes.h--1.roles")]
    [InlineData("""{"nodes": {"h--1": {"roles": [1]}}}""", "nodes.h--1.roles")]
    [InlineData("""{"nodes": {"h--1": {"roles": {"server": 1}}}}""", "nodes.h--1.roles")]
    [InlineData("""{"nodes": {"h--1": {"roles": ["a b"]}}}""", "nodes.h--1.roles")]
    [InlineData("""{"nodes": {"h--1": {"roles": ["a+b"]}}}""", "nodes.h--1.roles")]
    [InlineData("""{"nodes": {"h--1": {"roles": ["server"], "macs": "44:67:47:d7:6d:14"}}}""", "nodes.h--1.macs")]
    [InlineData("""{"nodes": {"h--1": {"roles": ["server"], "macs": [""]}}}""", "nodes.h--1.macs")]
    [InlineData("""{"nodes": {"h--1": {"roles": ["server"], "macs": [5]}}}""", "nodes.h--1.macs")]
    [InlineData("""{"ip0": 0, "nodes": {"h--1": {"roles": ["server"]}}}""", "ip0")]
    [InlineData("""{"ip0": 255, "nodes": {"h--1": {"roles": ["server"]}}}""", "ip0")]
    [InlineData("""{"ip0": -1, "nodes": {"h--1": {"roles": ["server"]}}}""", "ip0")]
    [InlineData("""{"ip0": 1.5, "nodes": {"h--1": {"roles": ["server"]}}}""", "ip0")]
    [InlineData("""{"ip0": "1", "nodes": {"h--1": {"roles": ["server"]}}}""", "ip0")]
    [InlineData("""{"ip0": 100000000000, "nodes": {"h--1": {"roles": ["server"]}}}""", "ip0")]
    [InlineData("""{"switch": ["a"], "nodes": {"h--1": {"roles": ["server"]}}}""", "switch")]
    [InlineData("""{"localhost": {"roles": 5}}""", "localhost.roles")]
    [InlineData("""{"localhost": "server"}""", "localhost")]
    public void EachProblemNamesItsField(string json, string field)
    {
        Assert.Equal(field, SingleErrorField(json));
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var result = ClusterSpecReader.Read(JsonNode.Parse("""
            {"ip0": 300, "nodes": {"a--1": {"roles": []}, "b--1": {"roles": ["client"], "macs": 1}, "c--1": {"roles": ["client"]}}}
            """));

        Assert.Null(result.Spec);
        Assert.Equal(["ip0", "nodes.a--1.roles", "nodes.b--1.macs"], result.Errors.Keys);
    }

    [Fact]
    public void FieldOfNamesTheKeyInEitherLayout()
    {
        var nested = ClusterTestData.Spec("cs-vm-2p16g");
        var topLevel = ClusterTestData.Spec("cs-localhost");

        Assert.Equal("nodes.vm-2p16g-multi-node--1.macs", nested.FieldOf(nested.Nodes[0], "macs"));
        Assert.Equal("localhost.macs", topLevel.FieldOf(topLevel.Nodes[0], "macs"));
    }
}
