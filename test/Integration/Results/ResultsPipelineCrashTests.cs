using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Results;

/// <summary>
/// The results pipeline under kill -9 (fail points: SIGKILL at an exact moment): between a job's end and its
/// extraction, and between two plugins. The next silo runs what is left — extraction and every plugin exactly once,
/// counted by their side effects (the 'extracted' event, webhook deliveries received by a local listener). And a hook
/// that is down gets retries, then its delivery.
/// </summary>
public sealed class ResultsPipelineCrashTests(MariaDbFixture database) : IDisposable
{
    private readonly WebhookListener _owner = new();
    private readonly string _results = Path.Combine(Path.GetTempPath(), "compassci-results-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        _owner.Dispose();
        if (Directory.Exists(_results))
        {
            Directory.Delete(_results, recursive: true);
        }
    }

    private Dictionary<string, string> Settings(string? failPoint = null, string? killAfterStep = null, string? ownerHook = null)
    {
        var settings = new Dictionary<string, string>
        {
            [ResultsSettings.RootKey] = _results,
            ["CompassCi__Webhooks__Accounts__dora"] = ownerHook ?? _owner.Url,
            ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
            ["CompassCi__Effects__RedriveAfter"] = "00:00:02",
        };
        if (failPoint is not null)
        {
            settings["CompassCi__FailPoints__KillBeforeEffectsOfSuite"] = failPoint;
        }

        if (killAfterStep is not null)
        {
            settings["CompassCi__FailPoints__KillAfterResultStep"] = killAfterStep;
        }

        return settings;
    }

    [Fact]
    public async Task A_kill_between_the_end_and_extraction_leaves_the_next_silo_to_run_every_step_once()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("rescrash");
        var cluster = "rk" + Guid.NewGuid().ToString("N")[..6];
        string id;
        await using (var doomed = await SiloProcess.StartAsync(connectionString, cluster, Settings(failPoint: "doomed-results")))
        {
            using var http = doomed.CreateClient();
            var jobs = new ResultsJobs(doomed, http, connectionString);
            (id, var resultRoot) = await jobs.StartAsync("doomed-results", "dora", "vm-rk");
            await jobs.UploadAsync(id, resultRoot, "clean-run");
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => new SchedulerClient(http).PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success" }));
            Assert.Equal(137, await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // The end is written with its extract effect, and nothing of the pipeline ran.
        Assert.Equal(1, await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM job_effects WHERE job_id = {id} AND kind = 'extract' AND done_at IS NULL"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM result_steps WHERE job_id = {id}"));

        await using var next = await SiloProcess.StartAsync(connectionString, cluster, Settings());
        using var nextHttp = next.CreateClient();
        var nextJobs = new ResultsJobs(next, nextHttp, connectionString);
        await nextJobs.WaitForPipelineAsync(id);

        Assert.Equal("complete", (await nextJobs.StatsAsync(id))["job_data_readiness"]!.GetValue<string>());
        Assert.Single(await nextJobs.EventsAsync(id, "extracted"));
        Assert.Single(_owner.Delivered, b => b["id"]!.GetValue<string>() == id);
        Assert.Equal(3, await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM result_steps WHERE job_id = {id} AND state = 'done' AND attempts = 1"));
    }

    [Fact]
    public async Task A_kill_between_two_plugins_resumes_at_the_next_plugin_without_redoing_the_done_ones()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("resstep");
        var cluster = "rs" + Guid.NewGuid().ToString("N")[..6];
        string id;
        await using (var doomed = await SiloProcess.StartAsync(connectionString, cluster, Settings(killAfterStep: "doomed-step/regression")))
        {
            using var http = doomed.CreateClient();
            var jobs = new ResultsJobs(doomed, http, connectionString);
            (id, var resultRoot) = await jobs.StartAsync("doomed-step", "dora", "vm-rs");
            await jobs.UploadAsync(id, resultRoot, "clean-run");
            await jobs.FinishAsync(id);
            Assert.Equal(137, await doomed.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        // Extraction and regression are done, notification not begun, nobody was told.
        Assert.Equal(
            ["s=extract done 1", "s=regression done 1", "s=notification pending 0"],
            await Sql.RowsAsync(connectionString, $"SELECT CONCAT(step, ' ', state, ' ', attempts) AS s FROM result_steps WHERE job_id = {id} ORDER BY position"));
        Assert.Empty(_owner.Received);

        await using var next = await SiloProcess.StartAsync(connectionString, cluster, Settings());
        using var nextHttp = next.CreateClient();
        var nextJobs = new ResultsJobs(next, nextHttp, connectionString);
        await nextJobs.WaitForPipelineAsync(id);

        Assert.Single(await nextJobs.EventsAsync(id, "extracted"));
        Assert.Single(_owner.Received);
        Assert.Single(await nextJobs.EventsAsync(id, "notified"));
        Assert.Equal(
            ["s=extract done 1", "s=regression done 1", "s=notification done 1"],
            await Sql.RowsAsync(connectionString, $"SELECT CONCAT(step, ' ', state, ' ', attempts) AS s FROM result_steps WHERE job_id = {id} ORDER BY position"));
    }

    [Fact]
    public async Task A_hook_that_is_down_gets_retries_and_then_its_delivery()
    {
        using var down = new WebhookListener(listening: false);
        var connectionString = await database.CreateMigratedDatabaseAsync("reshook");
        var settings = Settings(ownerHook: down.Url);
        settings["CompassCi__Pipeline__MaxAttempts"] = "10";
        settings["CompassCi__Pipeline__RetryDelay"] = "00:00:01";
        settings["CompassCi__Pipeline__MaxRetryDelay"] = "00:00:02";
        await using var silo = await SiloProcess.StartAsync(connectionString, "rh" + Guid.NewGuid().ToString("N")[..6], settings);
        using var http = silo.CreateClient();
        var jobs = new ResultsJobs(silo, http, connectionString);
        var (id, _) = await jobs.StartAsync("ebizzy", "dora", "vm-rh");
        await jobs.FinishAsync(id);

        // Refused connections are failed attempts, each recorded, the pipeline still pending.
        Assert.True(
            await Eventually.HoldsAsync(async () => await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM result_steps WHERE job_id = {id} AND step = 'notification' AND state = 'pending' AND attempts >= 2 AND last_error IS NOT NULL") == 1, TimeSpan.FromSeconds(60)),
            silo.Log());
        var pending = (JsonArray)JsonNode.Parse(await http.GetStringAsync("/api/v1/pipeline?state=pending", TestContext.Current.CancellationToken))!["jobs"]!;
        var entry = Assert.Single(pending, j => j!["job_id"]!.GetValue<string>() == id)!;
        Assert.Equal("notification", entry["step"]!.GetValue<string>());

        down.Start();
        await jobs.WaitForPipelineAsync(id);
        Assert.Single(down.Delivered);
        var notified = Assert.Single(await jobs.EventsAsync(id, "notified"));
        Assert.True(notified["attempt"]!.GetValue<int>() >= 2, notified.ToJsonString());
    }
}
