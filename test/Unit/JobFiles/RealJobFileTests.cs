using System.Text.Json.Nodes;
using CompassCi.Grains.JobFiles;
using CompassCi.Tests.Fixtures;

namespace CompassCi.Tests.Unit.JobFiles;

/// <summary>lkp-tests' own job files (from <c>$LKP_TESTS</c>) expand to the jobs its submit makes of them.</summary>
public class RealJobFileTests
{
    private static IReadOnlyList<JsonObject> Expand(string file, params JobFileOverride[] overrides)
    {
        var text = File.ReadAllText(Path.Combine(LkpFixtures.RealTree(), "jobs", file));
        var expansion = JobFileExpander.Expand(text, overrides);
        Assert.Empty(expansion.Errors);
        return expansion.Jobs;
    }

    [Fact]
    public void Hackbench_makes_eight_jobs_with_eight_distinct_pp()
    {
        var jobs = Expand("hackbench.yaml", new JobFileOverride("testbox", "vm-2p8g--x"));

        Assert.Equal(8, jobs.Count);
        Assert.Equal(8, jobs.Select(j => j["pp"]!.ToJsonString()).Distinct().Count());
        Assert.Equal("""{"hackbench":{"nr_threads":"1600%","mode":"process","ipc":"pipe"}}""", jobs[0]["pp"]!.ToJsonString());
        Assert.Equal("""{"hackbench":{"nr_threads":"50%","mode":"threads","ipc":"socket"}}""", jobs[7]["pp"]!.ToJsonString());
        Assert.All(jobs, j => Assert.Equal("vm-2p8g--x", (string?)j["testbox"]));
    }

    [Fact]
    public void Stream_makes_twelve_jobs()
    {
        var jobs = Expand("stream.yaml");

        Assert.Equal(12, jobs.Count);
        Assert.Equal(12, jobs.Select(j => j["pp"]!.ToJsonString()).Distinct().Count());
    }

    [Fact]
    public void Unixbench_second_document_adds_its_own_jobs_over_the_first()
    {
        var jobs = Expand("unixbench.yaml");

        // 2 nr_task × 11 tests, then the second document (test: execl) over the first: 2 more.
        Assert.Equal(24, jobs.Count);
        Assert.Equal(["execl", "execl"], jobs.Skip(22).Select(j => (string?)j["unixbench"]!["test"]));
        Assert.All(jobs.Skip(22), j => Assert.Equal(2, (long?)j["perf-profile"]!["duration"]));
        Assert.All(jobs.Take(22), j => Assert.False(j.ContainsKey("perf-profile")));
    }

    [Fact]
    public void Iperf_keeps_its_role_sections_and_expands_the_protocol_inside_one()
    {
        var jobs = Expand("iperf.yaml");

        Assert.Equal(["tcp", "udp"], jobs.Select(j => (string?)j["if role client"]!["iperf"]!["protocol"]));
        Assert.All(jobs, j => Assert.Equal("cs-localhost", (string?)j["cluster"]));
        Assert.Equal("""{"iperf-server":null,"iperf":{"protocol":"udp"}}""", jobs[1]["pp"]!.ToJsonString());
    }

    [Fact]
    public void Borrow_names_its_erb_line_until_the_key_is_overridden()
    {
        var refused = JobFileExpander.Expand(File.ReadAllText(Path.Combine(LkpFixtures.RealTree(), "jobs", "borrow-1h.yaml")), []);
        Assert.Contains("line 3", Assert.Single(refused.Errors["ssh_pub_key"]), StringComparison.Ordinal);

        Assert.Single(Expand("borrow-1h.yaml", new JobFileOverride("ssh_pub_key", "ssh-rsa AAAA me")));
    }
}
