using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Results;

/// <summary>
/// The results pipeline end to end on one silo: a testbox uploads lkp dump-stat files, ends its job, and extraction
/// (stats, errids), regression (new_errids) and notification (webhooks by blame) run; a plugin that keeps failing ends
/// failed, is listed, and succeeds on retry.
/// </summary>
public sealed class ResultsPipelineTests(MariaDbFixture database) : IAsyncLifetime
{
    private readonly WebhookListener _owner = new();
    private readonly WebhookListener _lab = new();
    private readonly WebhookListener _operators = new();
    private readonly WebhookListener _flaky = new();
    private readonly string _results = Path.Combine(Path.GetTempPath(), "compassci-results-" + Guid.NewGuid().ToString("N")[..8]);
    private string _connectionString = "";
    private SiloProcess? _silo;
    private HttpClient? _http;

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    private HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    private ResultsJobs Jobs => new(Silo, Http, _connectionString);

    public async ValueTask InitializeAsync()
    {
        _connectionString = await database.CreateMigratedDatabaseAsync("results");
        _silo = await SiloProcess.StartAsync(_connectionString, "rp" + Guid.NewGuid().ToString("N")[..6], new Dictionary<string, string>
        {
            [ResultsSettings.RootKey] = _results,
            ["CompassCi__Webhooks__Accounts__alice"] = _owner.Url,
            ["CompassCi__Webhooks__Accounts__flaky"] = _flaky.Url,
            ["CompassCi__Webhooks__Lab"] = _lab.Url,
            ["CompassCi__Webhooks__Operators"] = _operators.Url,
            ["CompassCi__Webhooks__ResultsBaseUrl"] = "http://results.example:3080",
            ["CompassCi__Pipeline__MaxAttempts"] = "3",
            ["CompassCi__Pipeline__RetryDelay"] = "00:00:00.200",
            ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
        });
        _http = Silo.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        foreach (var listener in new[] { _owner, _lab, _operators, _flaky })
        {
            listener.Dispose();
        }

        if (Directory.Exists(_results))
        {
            Directory.Delete(_results, recursive: true);
        }
    }

    [Fact]
    public async Task Finishing_a_job_extracts_lkp_stats_and_errids_from_its_uploads()
    {
        var (id, resultRoot) = await Jobs.StartAsync("ebizzy", "alice", "vm-rs");
        await Jobs.UploadAsync(id, resultRoot, "clean-run");
        await Jobs.FinishAsync(id);
        await Jobs.WaitForPipelineAsync(id);

        var stats = await Jobs.StatsAsync(id);
        Assert.Equal("complete", stats["job_data_readiness"]!.GetValue<string>());
        var values = (JsonObject)stats["stats"]!;
        // One sample: that sample. Several: lkp's mean, an integer division for integer samples (700 / 3 = 233).
        Assert.Equal(123456, values["ebizzy.throughput"]!.GetValue<long>());
        Assert.Equal(15000, values["ebizzy.throughput.per_thread.min"]!.GetValue<long>());
        Assert.Equal(20, values["vmstat.cpu.us"]!.GetValue<long>());
        Assert.Equal(233, values["vmstat.memory.free"]!.GetValue<long>());
        Assert.Equal(1, values["dmesg.WARNING:at_mm/page_alloc.c:#__alloc_pages"]!.GetValue<long>());
        Assert.False(values.ContainsKey("vmstat.time"), "the sample times are not a stat");
        Assert.DoesNotContain(values, kv => kv.Key.StartsWith("vmstat.vmstat.", StringComparison.Ordinal));
        Assert.Equal(["dmesg.WARNING:at_mm/page_alloc.c:#__alloc_pages"], ((JsonArray)stats["errid"]!).Select(e => e!.GetValue<string>()));

        // stats.json and matrix.json were written beside the uploads, and are served like them.
        var served = JsonNode.Parse(await Http.GetStringAsync($"{resultRoot}/stats.json", TestContext.Current.CancellationToken))!;
        Assert.Equal(233, served["vmstat.memory.free"]!.GetValue<long>());
        var matrix = JsonNode.Parse(await Http.GetStringAsync($"{resultRoot}/matrix.json", TestContext.Current.CancellationToken))!;
        Assert.Equal([100, 200, 400], ((JsonArray)matrix["vmstat.memory.free"]!).Select(v => v!.GetValue<long>()));

        // The filters find it by errid and by a stat's range, and not outside it.
        Assert.Contains(id, await ListIdsAsync("errid=" + Uri.EscapeDataString("dmesg.WARNING:at_mm/page_alloc.c:#__alloc_pages")));
        Assert.Contains(id, await ListIdsAsync("stat=vmstat.memory.free&min=200&max=300"));
        Assert.DoesNotContain(id, await ListIdsAsync("stat=vmstat.memory.free&min=234"));
        Assert.Single(await Jobs.EventsAsync(id, "extracted"));
    }

    [Fact]
    public async Task Uploads_of_one_job_in_parallel_all_land()
    {
        // Each PUT counts the job's bytes while the others rename their files into place (a count that met a file
        // renamed away answered 503 — seen by the extraction bench).
        var (id, resultRoot) = await Jobs.StartAsync("ebizzy", "bob", "vm-rs");
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"{resultRoot}/m{i}.json") { Content = new StringContent($$"""{"m{{i}}.x": [{{i}}]}""") };
            request.Headers.Add("Cookie", $"JOBID={id}");
            using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}";
        }));
        Assert.All(answers, answer => Assert.StartsWith("201", answer, StringComparison.Ordinal));
        await Jobs.FinishAsync(id);
        await Jobs.WaitForPipelineAsync(id);
        Assert.Equal(40, ((JsonObject)(await Jobs.StatsAsync(id))["stats"]!).Count);
    }

    [Fact]
    public async Task A_job_that_ends_with_nothing_uploaded_is_incomplete()
    {
        var (id, _) = await Jobs.StartAsync("ebizzy", "bob", "vm-rs");
        await Jobs.FinishAsync(id, "failed");
        await Jobs.WaitForPipelineAsync(id);

        var stats = await Jobs.StatsAsync(id);
        Assert.Equal("incomplete", stats["job_data_readiness"]!.GetValue<string>());
        Assert.Null(stats["stats"]);
    }

    [Fact]
    public async Task Of_three_runs_of_one_test_only_the_third_which_gains_an_error_reports_new_errids()
    {
        var pp = new JsonObject { ["ebizzy"] = new JsonObject { ["nr_threads"] = "200%", ["iterations"] = "100x" } };
        var ids = new List<string>();
        foreach (var fixture in new[] { "clean-run", "clean-run", "new-error-run" })
        {
            var (id, resultRoot) = await Jobs.StartAsync("ebizzy", "carol", "vm-rg", pp.DeepClone().AsObject());
            await Jobs.UploadAsync(id, resultRoot, fixture);
            await Jobs.FinishAsync(id);
            await Jobs.WaitForPipelineAsync(id);
            ids.Add(id);
        }

        var newErrids = new List<string[]>();
        foreach (var id in ids)
        {
            newErrids.Add([.. ((JsonArray)(await Jobs.StatsAsync(id))["new_errids"]!).Select(e => e!.GetValue<string>())]);
        }

        Assert.Empty(newErrids[0]);
        Assert.Empty(newErrids[1]);
        Assert.Equal(["kmsg.usb_disconnect_device_number"], newErrids[2]);

        // Another test (other params) with the same error has no earlier run to compare with: nothing is new.
        var (other, otherRoot) = await Jobs.StartAsync("ebizzy", "carol", "vm-rg", new JsonObject { ["ebizzy"] = new JsonObject { ["nr_threads"] = "1" } });
        await Jobs.UploadAsync(other, otherRoot, "new-error-run");
        await Jobs.FinishAsync(other);
        await Jobs.WaitForPipelineAsync(other);
        Assert.Empty((JsonArray)(await Jobs.StatsAsync(other))["new_errids"]!);
    }

    [Fact]
    public async Task Crashes_are_told_to_whom_they_blame_and_a_plain_end_to_the_owner()
    {
        var sent = new Dictionary<string, string>();
        foreach (var notify in new[] { "task", "lab", "scheduler" })
        {
            // A group of its own: a crash blamed on the lab is rescheduled, and its successor would be the next job taken.
            var (id, _) = await Jobs.StartAsync("ebizzy", "alice", "vm-nt" + notify);
            await Jobs.FinishAsync(id, "crash", new JsonObject { ["notify"] = notify, ["cause"] = notify == "task" ? "task" : notify == "lab" ? "testbox" : "scheduler" });
            await Jobs.WaitForPipelineAsync(id);
            sent[notify] = id;
        }

        var (plain, plainRoot) = await Jobs.StartAsync("ebizzy", "alice", "vm-nt");
        await Jobs.UploadAsync(plain, plainRoot, "clean-run");
        await Jobs.FinishAsync(plain);
        await Jobs.WaitForPipelineAsync(plain);

        string[] IdsOf(WebhookListener listener) => [.. listener.Delivered.Select(b => b["id"]!.GetValue<string>())];
        Assert.True(IdsOf(_owner).Order().SequenceEqual(new[] { sent["task"], plain }.Order()), $"owner got {string.Join(", ", IdsOf(_owner))}; sent {string.Join(", ", sent)}, plain {plain}");
        Assert.Equal([sent["lab"]], IdsOf(_lab).Where(sent.ContainsValue));
        Assert.Equal([sent["scheduler"]], IdsOf(_operators).Where(sent.ContainsValue));

        var labSummary = _lab.Delivered.Single(b => b["id"]!.GetValue<string>() == sent["lab"]);
        Assert.Equal("lab", labSummary["crash"]!["notify"]!.GetValue<string>());
        Assert.Equal("crash", labSummary["job_health"]!.GetValue<string>());
        var plainSummary = _owner.Delivered.Single(b => b["id"]!.GetValue<string>() == plain);
        Assert.Equal("success", plainSummary["job_health"]!.GetValue<string>());
        Assert.StartsWith("http://results.example:3080/result/ebizzy/", plainSummary["result_url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["dmesg.WARNING:at_mm/page_alloc.c:#__alloc_pages"], ((JsonArray)plainSummary["errid"]!).Select(e => e!.GetValue<string>()));

        // Each delivery is on its job's events.
        var notified = await Jobs.EventsAsync(sent["lab"], "notified");
        Assert.Equal("lab", Assert.Single(notified)["audience"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_plugin_that_fails_three_times_is_failed_and_listed_and_succeeds_on_retry()
    {
        _flaky.Status = 500;
        var (id, _) = await Jobs.StartAsync("ebizzy", "flaky", "vm-fl");
        await Jobs.FinishAsync(id);
        await Jobs.WaitForPipelineAsync(id);

        Assert.Equal(3, _flaky.Received.Count(r => r.Body["id"]?.GetValue<string>() == id));
        var failed = await ListPipelineAsync("failed");
        var entry = Assert.Single(failed, j => j!["job_id"]!.GetValue<string>() == id)!;
        Assert.Equal("notification", entry["step"]!.GetValue<string>());
        Assert.Equal(3, entry["attempts"]!.GetValue<int>());
        Assert.Contains("500", entry["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await Jobs.EventsAsync(id, "notified"));

        _flaky.Status = 200;
        using (var retry = await Http.PostAsync($"/api/v1/pipeline/{id}/retry", null, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await Jobs.EventsAsync(id, "notified")).Count == 1, TimeSpan.FromSeconds(30)), Silo.Log());
        await Jobs.WaitForPipelineAsync(id);
        Assert.DoesNotContain(await ListPipelineAsync("failed"), j => j!["job_id"]!.GetValue<string>() == id);
        Assert.Single(_flaky.Delivered, b => b["id"]!.GetValue<string>() == id);

        // Nothing failed any more: a second retry is refused, and an unknown job is not found.
        using var again = await Http.PostAsync($"/api/v1/pipeline/{id}/retry", null, TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(again, HttpStatusCode.Conflict, "job_id", "again");
        using var unknown = await Http.PostAsync("/api/v1/pipeline/999999999/retry", null, TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(unknown, HttpStatusCode.NotFound, "job_id", "unknown");
    }

    [Fact]
    public async Task Bad_pipeline_and_filter_queries_are_refused_naming_the_parameter()
    {
        using var state = await Http.GetAsync("/api/v1/pipeline?state=done", TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(state, HttpStatusCode.BadRequest, "state", "state");
        using var min = await Http.GetAsync("/api/v1/jobs?stat=x&min=lots", TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(min, HttpStatusCode.BadRequest, "min", "min");
        using var orphan = await Http.GetAsync("/api/v1/jobs?max=3", TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(orphan, HttpStatusCode.BadRequest, "max", "orphan");
        using var quote = await Http.GetAsync("/api/v1/jobs?stat=a%22b", TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(quote, HttpStatusCode.BadRequest, "stat", "quote");
        using var stats = await Http.GetAsync("/api/v1/jobs/999999999/stats", TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(stats, HttpStatusCode.NotFound, "id", "stats");
    }

    private async Task<List<string>> ListIdsAsync(string query) =>
        [.. ((JsonArray)JsonNode.Parse(await Http.GetStringAsync($"/api/v1/jobs?{query}"))!["jobs"]!).Select(j => j!["id"]!.GetValue<string>())];

    private async Task<JsonArray> ListPipelineAsync(string state) =>
        (JsonArray)JsonNode.Parse(await Http.GetStringAsync($"/api/v1/pipeline?state={state}"))!["jobs"]!;
}
