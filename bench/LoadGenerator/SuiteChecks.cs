using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The suite's pure parts on known inputs: dispatch latencies, the metrics and queue readers, the pending file,
/// CPU parsing, target checks, and the table built from items' JSON.
/// </summary>
public static class SuiteChecks
{
    public static void Run(SelfTest t)
    {
        Dispatch(t);
        Readers(t);
        TargetsAndTable(t);
    }

    private static void Dispatch(SelfTest t)
    {
        // 100 jobs acknowledged at tick 1000·i, each arriving 1..100 ms later: p50 = 50 ms, p99 = 99 ms, max = 100 ms.
        var ms = Stopwatch.Frequency / 1000;
        var acked = Enumerable.Range(1, 100).ToDictionary(i => $"j{i}", i => 1000L * i);
        var arrivals = Enumerable.Range(1, 100).Select(i => ($"j{i}", 1000L * i + i * ms)).ToList();
        arrivals.Add(("j7", 1000L * 7 + 500 * ms)); // a repeat, later: the first arrival counts
        var d = DispatchLatency.Summarize(acked, arrivals);
        t.Equal(100, d.Count, "dispatch: every job measured once");
        t.Close(50, d.P50Ms, "dispatch p50");
        t.Close(99, d.P99Ms, "dispatch p99");
        t.Close(100, d.MaxMs, "dispatch max");
        t.Equal(0, d.ArrivedBeforeAck, "dispatch: none before its 201");

        var early = DispatchLatency.Summarize(
            new Dictionary<string, long> { ["a"] = 10 * ms, ["b"] = 10 * ms, ["c"] = 10 * ms },
            [("a", 8 * ms), ("b", 13 * ms)]);
        t.Equal(2, early.Count, "dispatch: a job never handed out is not measured");
        t.Equal(1, early.NeverArrived, "dispatch: ... but counted as never arrived");
        t.Equal(1, early.ArrivedBeforeAck, "dispatch: arrival before the 201 is counted");
        t.Close(-2, early.P50Ms, "dispatch: an arrival before the 201 is a negative latency, not hidden");
        t.Equal(null, DispatchLatency.Summarize(new Dictionary<string, long>(), []).P99Ms, "dispatch: empty sample has no p99");
    }

    private static void Readers(SelfTest t)
    {
        const string metrics = """
            # TYPE compassci_consume_waiting gauge
            compassci_consume_waiting{otel_scope_name="CompassCi"} 120 1700000000000
            compassci_consume_waiting{silo="b"} 80
            compassci_consume_waiting_total 999
            compassci_consume_waitingx 5
            """;
        t.Close(200, MetricsText.Sum(metrics, LongPollRun.WaitingMetric), "metrics: samples of every label set are summed; other names are not");
        t.Equal(null, MetricsText.Sum("# HELP compassci_consume_waiting x\nother 1\n", LongPollRun.WaitingMetric), "metrics: absent metric is null");
        t.Close(3, MetricsText.Sum("compassci_consume_waiting 3\r\n", LongPollRun.WaitingMetric), "metrics: unlabelled sample with CRLF");

        t.Equal(30L, QueueListing.TotalPending("""[{"key":"a","pending":10,"oldest_submit_time":null},{"key":"b","pending":20}]"""u8), "queues: pending summed");
        t.Equal(0L, QueueListing.TotalPending("[]"u8), "queues: none is 0");
        t.Equal(null, QueueListing.TotalPending("""{"pending":3}"""u8), "queues: not an array");
        t.Equal(null, QueueListing.TotalPending("""[{"key":"a"}]"""u8), "queues: a queue without pending");
        t.Equal(null, QueueListing.TotalPending("<html>"u8), "queues: not JSON");

        var job = new PendingJob(7, "crashme-1.2");
        t.Equal(job, PendingJobs.Parse(PendingJobs.Format(job)), "pending file: a line reads back as written");
        t.Expect(Throws(() => PendingJobs.Parse("x 1")), "pending file: a shape that is not a number is refused");
        t.Expect(Throws(() => PendingJobs.Parse("3 ")), "pending file: a line without an id is refused");

        // /proc/PID/stat with a command name holding ") (": utime 250 + stime 50 ticks = 3 s.
        const string stat = "42 (dotnet) (x)) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 100 1000 200";
        t.Close(3, ProcessCpu.ParseStat(stat), "cpu: utime + stime after the last ')'");
        t.Equal(null, ProcessCpu.ParseStat("42 (dotnet) S 1"), "cpu: short line");
        t.Close(0.75, SiloCpuReport.From(1, 2, 5, 4000).DrainSecondsPerThousandConsumes, "cpu: 3 s over 4,000 consumes = 0.75 s per 1,000");
        var own = LoadGeneratorCpuReport.From(10, 12, 15, 4000, 2000);
        t.Equal(
            "load generator CPU: submit 2.00 s = 0.500 ms per submit, drain 3.00 s = 1.500 ms per consume",
            own.Describe(),
            "own cpu: 2 s over 4,000 submits, 3 s over 2,000 consumes");
        t.Equal("load generator CPU: drain 1.00 s = 2.000 ms per consume", LoadGeneratorCpuReport.From(null, 1, 2, 0, 500).Describe(), "own cpu: a drain alone (restart)");
        t.Expect(LoadGeneratorCpuReport.Now() > 0, "own cpu: this process has used some CPU");
        t.Equal("load generator CPU: submit 1.00 s, no submit succeeded", LoadGeneratorCpuReport.From(0, 1, null, 0, 0).Describe(), "own cpu: no submit succeeded");

        var modes = OptionParser.Parse(["--mode", "restart", "--pending-file", "p", "--restarted-at", "1764662400.25"]);
        t.Expect(modes.Error is null && modes.Options is { Mode: BenchMode.Restart, PendingFile: "p", RestartedAt: 1764662400.25 }, "options: restart mode");
        t.Expect(OptionParser.Parse(["--mode", "restart", "--pending-file", "p"]).Error?.Contains("--restarted-at", StringComparison.Ordinal) == true, "options: restart needs --restarted-at");
        t.Expect(OptionParser.Parse(["--mode", "preload"]).Error?.Contains("--pending-file", StringComparison.Ordinal) == true, "options: preload needs --pending-file");
        t.Expect(OptionParser.Parse(["--mode", "suite-report"]).Error is not null, "options: suite-report needs --results-dir");
        t.Expect(OptionParser.Parse(["--mode", "fast"]).Error is not null, "options: unknown mode refused");
        t.Expect(OptionParser.Parse(["--mode", "long-poll", "--testboxes", "4"]).Error is not null, "options: fewer testboxes than shapes refused");
        t.Expect(OptionParser.Parse(["--mode", "restart", "--pending-file", "p", "--restarted-at", "-5"]).Error is not null, "options: negative time refused");
        t.Expect(
            OptionParser.Parse(["--mode", "long-poll", "--testboxes", "200", "--trickle-rate", "50", "--trickle-jobs", "10"]).Options is { Mode: BenchMode.LongPoll, Testboxes: 200, TrickleRate: 50, TrickleJobs: 10 },
            "options: long-poll numbers");
        t.Expect(OptionParser.Parse(["--mode", "long-poll"]).Options.WarmupJobs == 200, "options: 200 warm-up jobs by default");
        t.Expect(OptionParser.Parse(["--mode", "long-poll", "--warmup-jobs", "0"]).Options.WarmupJobs == 0, "options: no warm-up allowed");
        t.Expect(OptionParser.Parse(["--warmup-jobs", "-1"]).Error is not null, "options: negative warm-up refused");
    }

    private static void TargetsAndTable(SelfTest t)
    {
        t.Equal(true, SuiteTarget.AtLeast(12_500).Met(12_500), "target: ≥ holds at the bound");
        t.Equal(false, SuiteTarget.AtLeast(12_500).Met(12_499.9), "target: ≥ misses below");
        t.Equal(true, SuiteTarget.AtMost(1.2).Met(1.2), "target: ≤ holds at the bound");
        t.Equal(false, SuiteTarget.Below(20).Met(20), "target: < misses at the bound");
        t.Equal(null, SuiteTarget.Below(20).Met(null), "target: nothing measured is not judged");
        t.Equal("≥ 12,500", SuiteTarget.AtLeast(12_500).ToString(), "target text with thousands");
        t.Equal("≤ 1.2", SuiteTarget.AtMost(1.2).ToString(), "target text with a fraction");
        t.Equal("1k 100k 1500", $"{SuiteFigures.Depth(1000)} {SuiteFigures.Depth(100_000)} {SuiteFigures.Depth(1500)}", "depth labels");
        t.Equal("1000 100000", string.Join(' ', SuiteReportRun.DepthsOf(["depth-100000", "long-poll", "depth-1000", "depth-x", "restart"])), "depths from item names, ascending");

        var before = new Dictionary<string, JsonNode?>
        {
            ["depth-1000"] = Depth(rate: 2000, p99: 40, passed: true),
            ["depth-100000"] = Depth(rate: 2200, p99: 88, passed: true),
        };
        var after = new Dictionary<string, JsonNode?>
        {
            ["depth-1000"] = Depth(rate: 15_000, p99: 20, passed: true),
            ["depth-100000"] = Depth(rate: 13_000, p99: 30, passed: false),
            ["long-poll"] = JsonNode.Parse("""{"dispatch":{"p50_ms":2.5,"p99_ms":25,"max_ms":40},"dispatch_with_warmup":{"p99_ms":60},"exactly_once":{"passed":true}}"""),
        };
        var rows = SuiteReportRun.Build([1000, 100_000], before, after).ToDictionary(r => r.Key);
        t.Close(13_000, rows["consume_per_second_at_100000"].After, "table: consume/s read from the drain phase");
        t.Close(13_000.0 / 2200, rows["consume_per_second_at_100000"].Ratio, "table: ratio after/before");
        t.Equal(true, rows["consume_per_second_at_100000"].TargetMet, "table: 13,000/s meets ≥ 12,500");
        t.Equal(null, rows["consume_per_second_at_1000"].Target, "table: no rate target at 1k pending");
        t.Close(1.5, rows["depth_ratio_consume_p99"].After, "table: depth ratio = p99 at 100k / p99 at 1k");
        t.Equal(false, rows["depth_ratio_consume_p99"].TargetMet, "table: depth ratio 1.5 misses ≤ 1.2");
        t.Close(1000, rows["rss_growth_bytes_per_pending_job_at_100000"].After, "table: RSS growth per pending job");
        t.Close(1.25, rows["rss_after_drain_over_before_at_100000"].After, "table: after-drain / before ratio");
        t.Equal(false, rows["exactly_once_at_100000"].TargetMet, "table: a failed exactly-once is a miss");
        t.Equal(false, rows["long_poll_dispatch_p99_ms"].TargetMet, "table: long-poll p99 25 ms misses < 20");
        t.Close(60, rows["long_poll_dispatch_p99_with_warmup_ms"].After, "table: long-poll p99 with the warm-up, beside the measured one");
        t.Equal(null, rows["restart_first_consume_seconds"].After, "table: an item not run has no figure");

        var text = SuiteTable.Render(rows.Values.ToArray(), withBefore: true);
        var consumeLine = text.Split('\n').Single(l => l.StartsWith("| consume/s @ 100k ", StringComparison.Ordinal));
        t.Expect(consumeLine.Contains(" 2,200 |", StringComparison.Ordinal) && consumeLine.Contains(" 13,000 |", StringComparison.Ordinal) && consumeLine.Contains("5.91×", StringComparison.Ordinal) && consumeLine.Contains('✓'), $"table line for consume/s @ 100k: {consumeLine}");
        t.Expect(text.Split('\n').Single(l => l.StartsWith("| long-poll dispatch p99 ms", StringComparison.Ordinal)).Contains('✗'), "table marks a miss with ✗");
        t.Expect(text.Split('\n').Single(l => l.StartsWith("| restart: first consume s", StringComparison.Ordinal)).Contains('—'), "table shows — for a figure not measured");
        t.Equal(text.Split('\n')[0].Length, text.Split('\n')[2].Length, "table columns are aligned");
        t.Expect(!SuiteTable.Render(rows.Values.ToArray(), withBefore: false).Contains("after/before", StringComparison.Ordinal), "without --before there is no ratio column");
    }

    private static JsonObject Depth(double rate, double p99, bool passed) => new JsonObject
    {
        ["phases"] = new JsonArray(
            new JsonObject { ["phase"] = "submit", ["rate_per_second"] = rate / 2, ["p50_ms"] = 1.0, ["p99_ms"] = 9.0 },
            new JsonObject { ["phase"] = "drain", ["rate_per_second"] = rate, ["p50_ms"] = p99 / 4, ["p99_ms"] = p99 }),
        ["memory"] = new JsonObject { ["rss_before_submit_bytes"] = 200_000_000, ["rss_with_pending_bytes"] = 300_000_000, ["bytes_per_pending_job"] = 1000.0, ["rss_after_drain_bytes"] = 250_000_000 },
        ["silo_cpu"] = new JsonObject { ["drain_seconds_per_thousand_consumes"] = 0.5 },
        ["exactly_once"] = new JsonObject { ["passed"] = passed },
    };

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (FormatException)
        {
            return true;
        }
    }
}
