using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary>
/// The scheduler's own counters on <c>/metrics</c> (Prometheus text, OpenTelemetry's exporter), after a scripted run on
/// a silo of its own: exactly the counts the script implies.
/// </summary>
public sealed class MetricsTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submits_hand_outs_ends_by_health_crashes_and_reschedules_are_counted_exactly()
    {
        var group = "vm-met" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, Cancel))["id"]!.GetValue<string>());
        }

        var first = (await fixture.Client.ConsumeAsync($"{group}--1", new Dictionary<string, string>(), 4, 5, cancellationToken: Cancel))!["id"]!.GetValue<string>();
        var second = (await fixture.Client.ConsumeAsync($"{group}--2", new Dictionary<string, string>(), 4, 5, cancellationToken: Cancel))!["id"]!.GetValue<string>();
        var pending = ids.Single(id => id != first && id != second);
        await fixture.Client.StageAsync(first, "running");
        await fixture.Client.StageAsync(second, "running");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PostAsync($"/api/v1/jobs/{first}/finish", new JsonObject { ["health"] = "success" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PostAsync($"/api/v1/jobs/{second}/finish", new JsonObject
        {
            ["health"] = "crash", ["crash"] = new JsonObject { ["notify"] = "lab", ["cause"] = "testbox" },
        })).Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PostAsync($"/api/v1/jobs/{pending}/cancel", [])).Status);

        var scrape = await ScrapeAsync();

        Assert.Equal(3, Value(scrape, "compassci_jobs_submitted_total"));
        Assert.Equal(2, Value(scrape, "compassci_jobs_consumed_total"));
        Assert.Equal(1, Value(scrape, "compassci_jobs_finished_total", "job_health=\"success\""));
        Assert.Equal(1, Value(scrape, "compassci_jobs_finished_total", "job_health=\"crash\""));
        Assert.Equal(1, Value(scrape, "compassci_jobs_finished_total", "job_health=\"cancel\""));
        Assert.Equal(1, Value(scrape, "compassci_jobs_crashes_total", "cause=\"testbox\"", "notify=\"lab\""));
        Assert.Equal(1, Value(scrape, "compassci_jobs_rescheduled_total"));
        // The framework meters are exported beside them.
        Assert.Contains("\nhttp_server_request_duration_seconds_bucket{", scrape, StringComparison.Ordinal);
    }

    /// <summary>The scrape; the exporter caches an answer briefly, so read until the last change (the cancel) shows.</summary>
    private async Task<string> ScrapeAsync()
    {
        var text = string.Empty;
        Assert.True(await Eventually.HoldsAsync(
            async () =>
            {
                text = await fixture.Http.GetStringAsync("/metrics", Cancel);
                return text.Contains("job_health=\"cancel\"", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(10)), "the cancel never showed on /metrics");
        return text;
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/>.</summary>
    private static double Value(string scrape, string metric, params string[] labels)
    {
        var samples = scrape.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .ToList();
        var sample = Assert.Single(samples);
        var value = sample[(sample.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
        return double.Parse(value, CultureInfo.InvariantCulture);
    }
}
