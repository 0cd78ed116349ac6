using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Fixtures;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Clusters;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary>A silo whose leases run out in seconds, so a scripted run can make a lease expire.</summary>
public sealed class ShortLeaseSiloFixture(MariaDbFixture database) : SiloFixture(database)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } = new Dictionary<string, string>
    {
        ["CompassCi__Lifecycle__LeaseSeconds"] = "3",
        ["CompassCi__Lifecycle__SweepInterval"] = "00:00:00.500",
    };
}

/// <summary>
/// Every metric any Grafana dashboard (helm/compassci/dashboards) or example alert rule (docs/operations.md) queries is
/// exported by a real silo: after a scripted run that makes each kind of metric happen, a scrape of <c>/metrics</c> names
/// it. The framework meters (Orleans, ASP.NET Core, the .NET runtime) and the scheduler's own meter are checked apart,
/// so a missing one says whose it is.
/// </summary>
public sealed class DashboardMetricsTests(ShortLeaseSiloFixture fixture) : IClassFixture<ShortLeaseSiloFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The scripted run, once for both tests; then the scrape that names every queried metric it can.</summary>
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static HashSet<string>? _exported;

    [Fact]
    public async Task Every_framework_metric_a_dashboard_queries_is_exported()
    {
        var queried = GrafanaDashboards.QueriedMetrics().Where(m => !m.Key.StartsWith("compassci_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(queried);

        var exported = await ExportedAfterScriptAsync(queried.Select(m => m.Key));

        AssertAllExported(queried, exported);
    }

    [Fact]
    public async Task Every_scheduler_metric_a_dashboard_queries_is_exported()
    {
        var queried = GrafanaDashboards.QueriedMetrics().Where(m => m.Key.StartsWith("compassci_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(queried);

        var exported = await ExportedAfterScriptAsync(queried.Select(m => m.Key));

        AssertAllExported(queried, exported);
    }

    private static void AssertAllExported(List<KeyValuePair<string, List<string>>> queried, HashSet<string> exported)
    {
        var missing = queried.Where(m => !exported.Contains(m.Key))
            .Select(m => $"{m.Key} (queried by {string.Join("; ", m.Value.Distinct())})")
            .ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} metric(s) the dashboards or alert rules query are not on /metrics:\n" + string.Join('\n', missing));
    }

    /// <summary>
    /// Runs the script once (the first test to get here), then scrapes until every one of <paramref name="wanted"/> shows
    /// or a deadline passes: observable gauges and the exporter's cached answer can lag the script by a moment.
    /// </summary>
    private async Task<HashSet<string>> ExportedAfterScriptAsync(IEnumerable<string> wanted)
    {
        await Once.WaitAsync(Cancel);
        try
        {
            if (_exported is null)
            {
                await RunScriptAsync();
                _exported = [];
            }
        }
        finally
        {
            Once.Release();
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.HoldsAsync(
            async () =>
            {
                names = MetricNames(await fixture.Http.GetStringAsync("/metrics", Cancel));
                return wanted.All(names.Contains);
            },
            TimeSpan.FromSeconds(15));
        return names;
    }

    /// <summary>
    /// Submit, hand out, run, finish with success and with a crash (rescheduled), cancel, a long-poll that gets nothing,
    /// a hand-out whose lease expires, and a two-node cluster that meets at one barrier and aborts at the next.
    /// </summary>
    private async Task RunScriptAsync()
    {
        var client = fixture.Client;
        var group = "vm-dash" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "dash", ["tbox_group"] = group }, Cancel))["id"]!.GetValue<string>());
        }

        var first = (await client.ConsumeAsync($"{group}--1", new Dictionary<string, string>(), 4, 5, cancellationToken: Cancel))!["id"]!.GetValue<string>();
        await client.StageAsync(first, "running");
        var second = (await client.ConsumeAsync($"{group}--2", new Dictionary<string, string>(), 4, 5, cancellationToken: Cancel))!["id"]!.GetValue<string>();
        await client.StageAsync(second, "running");
        var third = ids.Single(id => id != first && id != second);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{first}/finish", new JsonObject { ["health"] = "success" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{second}/finish", new JsonObject
        {
            ["health"] = "crash", ["crash"] = new JsonObject { ["notify"] = "lab", ["cause"] = "testbox" },
        })).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{third}/cancel", [])).Status);

        // The crash was rescheduled: a testbox takes the new attempt and never confirms it, so its lease expires.
        var retry = (await client.ConsumeAsync($"{group}--3", new Dictionary<string, string>(), 4, 5, cancellationToken: Cancel))!["id"]!.GetValue<string>();
        Assert.NotEqual(second, retry);

        // A long-poll that finds nothing.
        Assert.Null(await client.ConsumeAsync($"vm-none{Guid.NewGuid():N}"[..20] + "--1", new Dictionary<string, string>(), 4, 1, cancellationToken: Cancel));

        // Two nodes meet at wait_start, then one fails while the other waits for ready: the cluster aborts.
        var nodes = await ClusterBarrierTests.RunningClusterAsync(client, 1);
        await nodes[0].WriteStateAsync("server", "10.9.0.1");
        await nodes[1].WriteStateAsync("client", "10.9.0.2");
        var started = await Task.WhenAll(nodes.Select(n => n.SyncAsync("wait_start")));
        Assert.All(started, answer => Assert.Equal("start", answer));
        var waiting = nodes[1].SyncAsync("wait_ready");
        await nodes[0].SyncAsync("failed");
        Assert.Equal("abort", await waiting);

        Assert.True(await Eventually.HoldsAsync(async () => (await EventsAsync(retry)).Contains("lease_expired"), TimeSpan.FromSeconds(20)), "the unconfirmed hand-out's lease never expired");
        Assert.True(await Eventually.HoldsAsync(async () => (await EventsAsync(first)).Contains("extracted"), TimeSpan.FromSeconds(20)), "the finished job's results were never extracted");
    }

    private async Task<List<string>> EventsAsync(string id)
    {
        var events = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/jobs/{id}/events", Cancel))!["events"]!.AsArray();
        return [.. events.Select(e => e!["event"]!.GetValue<string>())];
    }

    /// <summary>The names of the samples of a Prometheus text scrape (histograms as their _bucket, _sum and _count).</summary>
    private static HashSet<string> MetricNames(string scrape) =>
        [.. scrape.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])];
}
