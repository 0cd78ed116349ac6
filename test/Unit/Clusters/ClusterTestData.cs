using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Clusters;

namespace CompassCi.Tests.Unit.Clusters;

/// <summary>lkp-tests' cluster specs and job files from shared/data beside the repository, read as the scheduler reads them.</summary>
internal static class ClusterTestData
{
    private static readonly string LkpTests = FindLkpTests();

    /// <summary>A cluster file of lkp-tests (<c>cluster/cs-vm-2p16g</c>) as a JSON document.</summary>
    public static JsonNode? ClusterFile(string name) => ParseYaml(File.ReadAllText(Path.Combine(LkpTests, "cluster", name)));

    /// <summary>A cluster file read into a spec, which must be valid.</summary>
    public static ClusterSpec Spec(string name) => ValidSpec(ClusterFile(name));

    /// <summary>The first YAML document of an lkp-tests job file, with <c>my_account</c> added as submit adds it.</summary>
    public static JsonObject JobFile(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(LkpTests, "jobs", name));
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

    private static string FindLkpTests()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CompassCi.sln")))
            {
                var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "lkp-tests"));
                return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"lkp-tests data is expected in {path}");
            }
        }

        throw new InvalidOperationException("CompassCi.sln not found above " + AppContext.BaseDirectory);
    }
}
