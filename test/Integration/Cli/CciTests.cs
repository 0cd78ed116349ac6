using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Fixtures;
using CompassCi.Tests.Integration.Api;

namespace CompassCi.Tests.Integration.Cli;

/// <summary>
/// <c>cci</c> as a real process against a live silo (open mode): submit -m follows a matrix file's jobs to their end
/// while the test plays the testboxes through the REST API; watch, why, jobs --json, cancel; exit codes.
/// </summary>
public sealed class CciTests(SiloFixture fixture) : IClassFixture<SiloFixture>, IDisposable
{
    private static readonly TimeSpan FollowLimit = TimeSpan.FromSeconds(90);
    private readonly CciHome _home = new();

    private string Server => fixture.Silo.BaseAddress.ToString();

    private Task<CciResult> CciAsync(params string[] args) => CciProcess.RunAsync(_home.Path, null, ["--server", Server, .. args]);

    private CciProcess StartCci(params string[] args) => CciProcess.Start(_home.Path, null, ["--server", Server, .. args]);

    [Theory]
    [InlineData("success", "success", 0)]
    [InlineData("success", "failed", 1)]
    public async Task SubmitMonitorFollowsEveryJobOfAMatrixFileToItsEnd(string first, string second, int exitCode)
    {
        var group = "vm-cci-" + Guid.NewGuid().ToString("N")[..6];
        await using var cci = StartCci("submit", "-m", "-s", $"tbox_group={group}", "-s", "my_account=cci-tests", LkpFixtures.JobPath("hackbench-pair.yaml"));

        // The two testboxes take the file's two jobs (the consume waits for them to be submitted) and run them.
        var healths = new[] { first, second };
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var job = await fixture.Client.ConsumeAsync($"{group}--{i}", new Dictionary<string, string>(), 4, 30, cancellationToken: TestContext.Current.CancellationToken);
            Assert.NotNull(job);
            ids.Add(job["id"]!.GetValue<string>());
        }

        for (var i = 0; i < 2; i++)
        {
            await fixture.Client.StageAsync(ids[i], "running");
            await FinishAsync(ids[i], healths[i]);
        }

        var result = await cci.WaitAsync(FollowLimit);
        Assert.True(exitCode == result.ExitCode, result.ToString());
        for (var i = 0; i < 2; i++)
        {
            Assert.Contains($"job {ids[i]} submitted", result.Out);
            Assert.Contains(Lines(result, ids[i]), line => line.Contains("stage=running", StringComparison.Ordinal));
            Assert.Contains(Lines(result, ids[i]), line => line.EndsWith($"health={healths[i]}", StringComparison.Ordinal));
        }

        Assert.Contains($"{(exitCode == 0 ? 2 : 1)} of 2 jobs succeeded", result.Out);
        if (exitCode != 0)
        {
            Assert.Contains($"job {ids[1]} ended failed", result.Out);
        }
    }

    [Fact]
    public async Task WatchPrintsEachChangeInOrderAndExitsWithTheJobsEnd()
    {
        var (id, group) = await SubmitAsync("watched");
        await using var cci = StartCci("watch", id);

        var job = await fixture.Client.ConsumeAsync($"{group}--0", new Dictionary<string, string>(), 4, 10, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(id, job!["id"]!.GetValue<string>());
        await fixture.Client.StageAsync(id, "running");
        await FinishAsync(id, "failed");

        var result = await cci.WaitAsync(FollowLimit);
        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = Lines(result, id);
        var submitted = lines.FindIndex(l => l.Contains("submitted", StringComparison.Ordinal));
        var boot = lines.FindIndex(l => l.Contains("stage=boot", StringComparison.Ordinal));
        var running = lines.FindIndex(l => l.Contains("stage=running", StringComparison.Ordinal));
        var ended = lines.FindIndex(l => l.EndsWith("health=failed", StringComparison.Ordinal));
        Assert.True(submitted >= 0 && submitted < boot && boot < running && running < ended, result.ToString());
    }

    [Fact]
    public async Task WhyPrintsThePendingJobsReasonsAsTheServerGivesThem()
    {
        var (id, _) = await SubmitAsync("waiting");
        using var response = await fixture.Http.GetAsync($"/api/v1/jobs/{id}/why", TestContext.Current.CancellationToken);
        var reasons = (JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["reasons"] as JsonArray)!;
        Assert.NotEmpty(reasons);

        var result = await CciAsync("why", id);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var reason in reasons)
        {
            Assert.Contains($"{reason!["code"]}: {reason["message"]}", result.Out);
        }
    }

    [Fact]
    public async Task JobsJsonParsesAndHoldsTheSubmittedJobs()
    {
        var suite = "cci-list-" + Guid.NewGuid().ToString("N")[..6];
        var submitted = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            submitted.Add((await SubmitAsync(suite)).Id);
        }

        var result = await CciAsync("jobs", "--suite", suite, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var jobs = Assert.IsType<JsonArray>(JsonNode.Parse(result.Out));
        Assert.Equal(submitted, jobs.Select(j => j!["id"]!.GetValue<string>()).ToHashSet());
        Assert.All(jobs, j => Assert.Equal(suite, j!["suite"]!.GetValue<string>()));

        var limited = await CciAsync("jobs", "--suite", suite, "--json", "--limit", "2");
        Assert.Equal(2, Assert.IsType<JsonArray>(JsonNode.Parse(limited.Out)).Count);
    }

    [Fact]
    public async Task CancelEndsAPendingJob()
    {
        var (id, _) = await SubmitAsync("cancelled");

        var result = await CciAsync("cancel", id);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{id}: cancelled", result.Out);
        var job = await fixture.Client.GetJobAsync(id);
        Assert.Equal("cancel", job!["job_health"]!.GetValue<string>());

        // Its story as `cci job` tells it: the document, then the events from submitted to the cancel.
        var shown = await CciAsync("job", id);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains($"\"id\": \"{id}\"", shown.Out);
        Assert.True(shown.Out.IndexOf("\tsubmitted", StringComparison.Ordinal) is var submitted and >= 0 && submitted < shown.Out.LastIndexOf("cancel", StringComparison.Ordinal), shown.ToString());
    }

    [Fact]
    public async Task TheLabCommandsShowWhatTheRestApiHolds()
    {
        var (id, group) = await SubmitAsync("lab-view");
        var testbox = $"{group}--0";
        Assert.Equal(id, (await fixture.Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 10, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());

        var testboxes = await CciAsync("testboxes");
        Assert.True(testboxes.ExitCode == 0, testboxes.ToString());
        Assert.Contains(testboxes.Out.Split('\n'), line => line.StartsWith(testbox + "\t", StringComparison.Ordinal) && line.Contains($"\t{id}\t", StringComparison.Ordinal));

        var queues = await CciAsync("queues", "--json");
        Assert.True(queues.ExitCode == 0, queues.ToString());
        Assert.IsType<JsonArray>(JsonNode.Parse(queues.Out));

        foreach (var command in new[] { "hosts", "fairshare" })
        {
            var shown = await CciAsync(command);
            Assert.True(shown.ExitCode == 0, shown.ToString());
            Assert.NotEmpty(shown.Out);
        }

        var unknownHost = await CciAsync("host", "no-such-host-" + group, "lifecycle");
        Assert.True(unknownHost.ExitCode == 3, unknownHost.ToString());
        Assert.Contains("no-such-host-" + group, unknownHost.Err);
    }

    [Theory]
    [InlineData("job")]
    [InlineData("why")]
    [InlineData("cancel")]
    [InlineData("watch")]
    public async Task AnUnknownIdExits3WithTheServersMessage(string command)
    {
        var unknown = "987654321012";
        Assert.Null(await fixture.Client.GetJobAsync(unknown));

        var result = await CciAsync(command, unknown);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains(unknown, result.Err);
        Assert.Empty(result.Out);
    }

    [Theory]
    [InlineData("jobs", "--limit", "many")]
    [InlineData("jobs", "--limit", "0")]
    [InlineData("cancel")]
    [InlineData("submit", "-s", "no-equals-sign", "/nonexistent.yaml")]
    [InlineData("nonsense")]
    public async Task AWrongCommandLineExits2(params string[] args)
    {
        var result = await CciAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.NotEmpty(result.Err);
    }

    [Fact]
    public async Task TheServerComesFromLkpTestsDefaultsUnlessTheEnvironmentNamesOne()
    {
        var (id, _) = await SubmitAsync("configured");
        _home.WriteConfig("defaults/lab.yaml", $"SCHED_HOST: {fixture.Silo.BaseAddress.Host}\nSCHED_PORT: {fixture.Silo.BaseAddress.Port}\nlab: z9\n");

        var fromFile = await CciProcess.RunAsync(_home.Path, null, "job", id, "--json");
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal(id, JsonNode.Parse(fromFile.Out)!["id"]!.GetValue<string>());

        // CCI_SERVER wins over the file: set to no http address, the same command is a usage error naming it.
        var notHttp = new Dictionary<string, string> { ["CCI_SERVER"] = "ftp://127.0.0.1" };
        var fromEnvironment = await CciProcess.RunAsync(_home.Path, notHttp, "job", id, "--json");
        Assert.True(fromEnvironment.ExitCode == 2, fromEnvironment.ToString());
        Assert.Contains("CCI_SERVER", fromEnvironment.Err);
    }

    private async Task<(string Id, string Group)> SubmitAsync(string suite)
    {
        var group = "vm-cci-" + Guid.NewGuid().ToString("N")[..6];
        var job = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = suite, ["my_account"] = "cci-tests", ["tbox_group"] = group }, TestContext.Current.CancellationToken);
        return (job["id"]!.GetValue<string>(), group);
    }

    private async Task FinishAsync(string id, string health)
    {
        using var response = await fixture.Http.PostAsync(
            $"/api/v1/jobs/{id}/finish", new StringContent(new JsonObject { ["health"] = health }.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>cci's lines about one job (each change line names it as <c>job &lt;id&gt;</c>).</summary>
    private static List<string> Lines(CciResult result, string id) =>
        [.. result.Out.Split('\n').Where(l => l.Contains($" job {id} ", StringComparison.Ordinal))];

    public void Dispose() => _home.Dispose();
}
