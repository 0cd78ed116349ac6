using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Cli;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Samples;

/// <summary>
/// The sample CI bot (samples/CiBot) as its README runs it, once over HTTP and once over the Orleans client: it submits
/// a three-job matrix, follows each job live, and sums up; the test plays the testboxes that run the jobs.
/// </summary>
public sealed class CiBotSampleTests(SiloFixture fixture) : IClassFixture<SiloFixture>, IDisposable
{
    private readonly CciHome _home = new();

    [Theory]
    [InlineData("http", "success", 0)]
    [InlineData("orleans", "success", 0)]
    [InlineData("http", "failed", 1)]
    public async Task The_bot_submits_a_matrix_follows_it_and_sums_up(string transport, string lastHealth, int exitCode)
    {
        var group = "vm-bot-" + Guid.NewGuid().ToString("N")[..6];
        var run = "run-" + Guid.NewGuid().ToString("N")[..6];
        string[] where = transport == "http"
            ? ["--server", fixture.Silo.BaseAddress.ToString()]
            : ["--cluster", fixture.ClusterId, "--database", fixture.ConnectionString];
        await using var bot = CciProcess.StartDll(
            CciProcess.Built(Path.Combine("samples", "CiBot"), "ci-bot.dll"), _home.Path, null,
            [.. where, "--run", run, "--tbox-group", group, "--suite", "hackbench", "--matrix", "nr_threads=1,2,4"]);

        // Three testboxes take the three jobs as the bot submits them (each consume waits for one) and run them.
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var job = await fixture.Client.ConsumeAsync($"{group}--{i}", new Dictionary<string, string>(), 4, 30, cancellationToken: TestContext.Current.CancellationToken);
            Assert.NotNull(job);
            ids.Add(job["id"]!.GetValue<string>());
        }

        for (var i = 0; i < 3; i++)
        {
            await fixture.Client.StageAsync(ids[i], "running");
            var (status, body) = await fixture.Client.PostAsync($"/api/v1/jobs/{ids[i]}/finish", new() { ["health"] = i == 2 ? lastHealth : "success" });
            Assert.True(status == System.Net.HttpStatusCode.OK, body?.ToJsonString());
        }

        var result = await bot.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(exitCode == result.ExitCode, result.ToString());
        foreach (var id in ids)
        {
            Assert.Contains($"job {id}: running", result.Out);
        }

        Assert.Contains($"job {ids[2]}: ended {lastHealth}", result.Out);
        Assert.Contains(exitCode == 0 ? "all 3 jobs succeeded" : "1 of 3 jobs did not succeed", result.Out);
    }

    public void Dispose() => _home.Dispose();
}
