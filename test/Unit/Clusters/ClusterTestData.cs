using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Clusters;
using CompassCi.Tests.Fixtures;

namespace CompassCi.Tests.Unit.Clusters;

/// <summary>Cluster specs and job files in lkp-tests' formats (the fixtures in test/Fixtures/lkp), read as the scheduler reads them.</summary>
internal static class ClusterTestData
{
    /// <summary>A fixture cluster file (<c>cluster/cs-bay4-pair</c>) as a JSON document.</summary>
    public static JsonNode? ClusterFile(string name) => ParseYaml(LkpFixtures.ReadCluster(name));

    /// <summary>A cluster file read into a spec, which must be valid.</summary>
    public static ClusterSpec Spec(string name) => ValidSpec(ClusterFile(name));

    /// <summary>The first YAML document of a fixture job file, with <c>my_account</c> added as submit adds it.</summary>
    public static JsonObject JobFile(string name)
    {
        var lines = File.ReadAllLines(LkpFixtures.JobPath(name));
        var firstDocument = lines.TakeWhile(line => line.TrimEnd() != "---");
        var job = Assert.IsType<JsonObject>(ParseYaml(string.Join('\n', firstDocument)));
        job["my_account"] = "tester";
        return job;
    }

    /// <summary>YAML converted by the scheduler's own parser, so tests see the same JSON a submit does.</summary>
    public static JsonNode? ParseYaml(string yaml)
    {
        Assert.True(YamlJobParser.TryParse(yaml, out var root, out var error), error);
        return root;
    }

    public static ClusterSpec ValidSpec(JsonNode? document)
    {
        var result = ClusterSpecReader.Read(document);
        Assert.Empty(result.Errors);
        return Assert.IsType<ClusterSpec>(result.Spec);
    }

    public static ClusterSpec ValidSpecJson(string json) => ValidSpec(JsonNode.Parse(json));
}
