using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Clusters;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary>
/// The scheduler's counters, histograms and gauges on <c>/metrics</c> (Prometheus text, OpenTelemetry's exporter), after
/// a scripted run on a silo of its own: exactly the counts the script implies.
/// </summary>
public sealed class MetricsTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_scripted_run_shows_every_counter_histogram_and_gauge_with_the_values_it_implies()
    {
        var group = "vm-met" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, Cancel))["id"]!.GetValue<string>());
        }

        // Three pending in one queue, the oldest of them submitted just now.
        var queued = await ScrapeUntilAsync(s => s.Samples("compassci_queue_pending").Any(q => q.Line.Contains(group, StringComparison.Ordinal) && q.Value == 3), "three pending in the queue");
        Assert.InRange(queued.Samples("compassci_queue_oldest_age_seconds").Single(q => q.Line.Contains(group, StringComparison.Ordinal)).Value, 0, 60);

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

        // A testbox that finds nothing: its long-poll shows as a waiter while it lasts, and ends without a job.
        var idle = fixture.Client.ConsumeAsync($"vm-idle{group}--1", new Dictionary<string, string>(), 4, 2, cancellationToken: Cancel);
        await ScrapeUntilAsync(s => s.ValueOrNull("compassci_consume_waiting") == 1, "a waiter during the long-poll");
        Assert.Null(await idle);

        // A two-node cluster whose server fails while its client waits at a barrier.
        var nodes = await ClusterBarrierTests.RunningClusterAsync(fixture.Client, 1);
        await nodes[0].WriteStateAsync("server", "10.9.0.1");
        await nodes[1].WriteStateAsync("client", "10.9.0.2");
        var waiter = nodes[1].SyncAsync("wait_ready");
        Assert.True(await Eventually.HoldsAsync(
            async () => JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/clusters/{nodes[0].JobId}", Cancel))!["nodes"]!.AsArray().Any(n => n!["state"]!.GetValue<string>() == "ready"),
            TimeSpan.FromSeconds(10)));
        await nodes[0].SyncAsync("failed");
        Assert.Equal("abort", await waiter);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PostAsync($"/api/v1/jobs/{nodes[0].JobId}/finish", new JsonObject { ["health"] = "failed" })).Status);

        var scrape = await ScrapeUntilAsync(s => s.ValueOrNull("compassci_jobs_finished_total", "job_health=\"failed\"") == 1, "the last finish");

        // 3 single jobs + 2 node jobs; 2 single + 2 node hand-outs; the crash's successor waits in the queue.
        Assert.Equal(5, scrape.Value("compassci_jobs_submitted_total"));
        Assert.Equal(4, scrape.Value("compassci_jobs_consumed_total"));
        Assert.Equal(1, scrape.Value("compassci_jobs_finished_total", "job_health=\"success\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_finished_total", "job_health=\"crash\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_finished_total", "job_health=\"cancel\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_finished_total", "job_health=\"abort\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_crashes_total", "cause=\"testbox\"", "notify=\"lab\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_rescheduled_total"));
        Assert.Equal(1, scrape.Value("compassci_clusters_aborted_total"));
        Assert.Equal(0, scrape.Value("compassci_consume_claim_conflicts_total"));
        Assert.Empty(scrape.Samples("compassci_jobs_expired_total"));
        // Histograms: one submit-to-boot per hand-out, one duration per consume by outcome, one barrier wait.
        Assert.Equal(4, scrape.Value("compassci_jobs_submit_to_boot_seconds_count"));
        Assert.InRange(scrape.Value("compassci_jobs_submit_to_boot_seconds_sum"), 0, 4 * 120);
        Assert.Equal(4, scrape.Value("compassci_jobs_submit_to_boot_seconds_bucket", "le=\"+Inf\""));
        Assert.Equal(4, scrape.Value("compassci_consume_duration_seconds_count", "outcome=\"job\""));
        Assert.Equal(1, scrape.Value("compassci_consume_duration_seconds_count", "outcome=\"none\""));
        // The empty consume waited its 2 s: it is in no bucket below 1 s.
        Assert.Equal(0, scrape.Value("compassci_consume_duration_seconds_bucket", "outcome=\"none\"", "le=\"1\""));
        Assert.Equal(1, scrape.Value("compassci_cluster_barrier_wait_seconds_count", "outcome=\"abort\""));
        Assert.Equal(0, scrape.Value("compassci_consume_waiting"));
        // Every write above went through a shared commit (how many shared each one depends on timing).
        Assert.True(scrape.Value("compassci_db_commit_writes_sum") >= 5 + 4 + 5, "fewer commit writes than the run made");
        Assert.Equal(scrape.Value("compassci_db_commit_writes_count"), scrape.Value("compassci_db_commit_duration_seconds_count"));
        // Gauges: the successor is the one job pending, in the group's queue and for account a.
        Assert.Equal(1, scrape.Samples("compassci_queue_pending").Single(q => q.Line.Contains(group, StringComparison.Ordinal)).Value);
        await ScrapeUntilAsync(s => s.ValueOrNull("compassci_account_pending", "account=\"a\"") == 1, "account a's one queued job");
        // The lab-wide counts are read every 15 s: the five testboxes of the run (two, the idle one, two nodes), none
        // held by now; no host quarantined; every effect delivered — among them the results pipeline of each of the
        // four jobs a testbox took and ended (the cancelled one was never taken: it has no results).
        var lab = await ScrapeUntilAsync(
            s => s.Samples("compassci_testboxes").Sum(t => t.Value) == 5 && s.ValueOrNull("compassci_outbox_backlog") == 0
                && s.ValueOrNull("compassci_pipeline_steps_total", "step=\"extract\"", "outcome=\"done\"") == 4,
            "five testboxes, an empty outbox and four extractions",
            TimeSpan.FromSeconds(40));
        Assert.Empty(lab.Samples("compassci_pipeline_steps_total", "outcome=\"failed\""));
        Assert.Equal(0, lab.Value("compassci_testboxes", "state=\"running\""));
        Assert.Equal(0, lab.Value("compassci_hosts_quarantined"));
        // The framework meters are exported beside them.
        Assert.NotEmpty(lab.Samples("http_server_request_duration_seconds_bucket"));
    }

    /// <summary>Scrapes until <paramref name="holds"/>; the exporter caches an answer briefly and some figures follow their change.</summary>
    private async Task<Scrape> ScrapeUntilAsync(Func<Scrape, bool> holds, string what, TimeSpan? within = null)
    {
        Scrape? last = null;
        var held = await Eventually.HoldsAsync(
            async () =>
            {
                last = await Scrape.OfAsync(fixture.Http);
                return holds(last);
            },
            within ?? TimeSpan.FromSeconds(10));
        Assert.True(held, $"never saw {what} on /metrics; the last scrape:\n{last?.Text}");
        return last!;
    }
}
