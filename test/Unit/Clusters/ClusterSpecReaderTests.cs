using System.Text.Json.Nodes;
using CompassCi.Grains.Clusters;
using CompassCi.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

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

    [Fact]
    public void ASlotSpecHasAServerSlotThenAClientSlotWithTheirMacs()
    {
        var spec = ClusterTestData.Spec("cs-bay4-pair");

        Assert.Null(spec.Switch);
        Assert.Equal(20, spec.Ip0);
        Assert.False(spec.NodesAtTopLevel);
        Assert.Equal(["bay4-8c32g--1", "bay4-8c32g--2"], spec.Nodes.Select(n => n.Name));
        Assert.Equal(["server"], spec.Nodes[0].Roles);
        Assert.Equal(["client"], spec.Nodes[1].Roles);
        Assert.Equal(["0a:c4:11:20:00:01"], spec.Nodes[0].Macs);
        Assert.Equal(["0a:c4:11:20:00:02", "0a:c4:11:20:00:03"], spec.Nodes[1].Macs);
    }

    [Fact]
    public void AMachineSpecHasItsSwitchAndMachinesOfSeveralGroups()
    {
        var spec = ClusterTestData.Spec("cs-quarry-mix");

        Assert.Equal("Quarry-SW3", spec.Switch);
        Assert.Equal(40, spec.Ip0);
        Assert.False(spec.NodesAtTopLevel);
        Assert.Equal(["quarry-2s64c-512g--q07", "quarry-2s64c-512g--q08", "quarry-1s32c-128g--q21", "quarry-1s32c-128g--q22"], spec.Nodes.Select(n => n.Name));
        Assert.Equal(["store1", "store2", "loader1 loader2", "loader3"], spec.Nodes.Select(n => string.Join(' ', n.Roles)));
        Assert.Equal([1, 2, 0, 1], spec.Nodes.Select(n => n.Macs.Count));
    }

    [Fact]
    public void TopLevelHostsWithoutMacsAreRead()
    {
        var spec = ClusterTestData.Spec("cs-edge-duo");

        Assert.True(spec.NodesAtTopLevel);
        Assert.Null(spec.Switch);
        Assert.Equal(ClusterSpec.DefaultIp0, spec.Ip0);
        Assert.Equal(["edge-n1", "edge-n2"], spec.Nodes.Select(n => n.Name));
        Assert.Equal(["client", "monitor"], spec.Nodes[1].Roles);
        Assert.All(spec.Nodes, n => Assert.Empty(n.Macs));
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
    [InlineData("""{"nodes": {"two words": {"roles": ["server"]}}}""", "nodes")]
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
        var nested = ClusterTestData.Spec("cs-bay4-pair");
        var topLevel = ClusterTestData.Spec("cs-localhost");

        Assert.Equal("nodes.bay4-8c32g--1.macs", nested.FieldOf(nested.Nodes[0], "macs"));
        Assert.Equal("localhost.macs", topLevel.FieldOf(topLevel.Nodes[0], "macs"));
    }

    /// <summary>
    /// Every cluster spec of the real lkp-tests tree (<c>$LKP_TESTS/cluster</c>) reads, and into what the file says:
    /// its hosts in order, in the layout it uses, with their roles, MACs and ip0, as YamlDotNet's own model sees them.
    /// </summary>
    [Fact]
    public void EveryRealLkpClusterSpecReadsIntoWhatTheFileSays()
    {
        var files = Directory.GetFiles(Path.Combine(LkpFixtures.RealTree(), "cluster")).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        Assert.All(files, path =>
        {
            var text = File.ReadAllText(path);
            var result = ClusterSpecReader.Read(ClusterTestData.ParseYaml(text));
            Assert.True(result.Errors.Count == 0, $"{Path.GetFileName(path)}: {string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}");
            var spec = Assert.IsType<ClusterSpec>(result.Spec);

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var root = Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
            var nested = root.Children.TryGetValue(new YamlScalarNode("nodes"), out var nodesNode);
            var hosts = nested
                ? Assert.IsType<YamlMappingNode>(nodesNode).Children.ToList()
                : [.. root.Children.Where(p => Scalar(p.Key) is not ("ip0" or "switch"))];

            Assert.Equal(!nested, spec.NodesAtTopLevel);
            Assert.Equal(root.Children.TryGetValue(new YamlScalarNode("ip0"), out var ip0) ? int.Parse(Scalar(ip0)!, System.Globalization.CultureInfo.InvariantCulture) : ClusterSpec.DefaultIp0, spec.Ip0);
            Assert.Equal(hosts.Select(h => Scalar(h.Key)), spec.Nodes.Select(n => n.Name));
            Assert.All(hosts.Zip(spec.Nodes), pair =>
            {
                var (host, node) = pair;
                var map = Assert.IsType<YamlMappingNode>(host.Value);
                Assert.Equal(Words(map.Children[new YamlScalarNode("roles")]), node.Roles);
                Assert.Equal(map.Children.TryGetValue(new YamlScalarNode("macs"), out var macs) ? Words(macs) : [], node.Macs);
            });
        });
    }

    private static string? Scalar(YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value;

    /// <summary>A YAML list of words, or one string of space-separated words.</summary>
    private static List<string> Words(YamlNode node) => node is YamlSequenceNode list
        ? [.. list.Children.Select(c => Scalar(c)!)]
        : [.. Scalar(node)!.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}
