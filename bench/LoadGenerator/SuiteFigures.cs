using System.Globalization;
using System.Text.Json.Nodes;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Turns the suite's per-item JSON (one side: the before or the after code) into the table's figures, by key. Reads
/// the JSON as the items wrote it, so the table never depends on a second copy of a figure.
/// </summary>
public static class SuiteFigures
{
    /// <summary>The pending level the targets are stated for.</summary>
    public const int TargetDepth = 100_000;

    /// <param name="items">Item name (depth-1000, long-poll, restart) → that item's JSON; missing items give no figures.</param>
    public static IReadOnlyList<(string Key, string Figure, FigureKind Kind, double? Value, SuiteTarget? Target)> Read(IReadOnlyList<int> depths, IReadOnlyDictionary<string, JsonNode?> items)
    {
        var rows = new List<(string, string, FigureKind, double?, SuiteTarget?)>();
        foreach (var depth in depths)
        {
            var run = items.GetValueOrDefault($"depth-{depth}");
            var at = Depth(depth);
            var targeted = depth == TargetDepth;
            var submit = Phase(run, "submit");
            var drain = Phase(run, "drain");
            var memory = run?["memory"];
            var before = Number(memory?["rss_before_submit_bytes"]);
            var after = Number(memory?["rss_after_drain_bytes"]);
            rows.Add(($"consume_per_second_at_{depth}", $"consume/s @ {at}", FigureKind.Rate, Number(drain?["rate_per_second"]), targeted ? SuiteTarget.AtLeast(Targets.ConsumePerSecond) : null));
            rows.Add(($"consume_p50_ms_at_{depth}", $"consume p50 ms @ {at}", FigureKind.Milliseconds, Number(drain?["p50_ms"]), null));
            rows.Add(($"consume_p99_ms_at_{depth}", $"consume p99 ms @ {at}", FigureKind.Milliseconds, Number(drain?["p99_ms"]), targeted ? SuiteTarget.AtMost(Targets.P99Ms) : null));
            rows.Add(($"submit_per_second_at_{depth}", $"submit/s @ {at}", FigureKind.Rate, Number(submit?["rate_per_second"]), targeted ? SuiteTarget.AtLeast(Targets.SubmitPerSecond) : null));
            rows.Add(($"submit_p50_ms_at_{depth}", $"submit p50 ms @ {at}", FigureKind.Milliseconds, Number(submit?["p50_ms"]), null));
            rows.Add(($"submit_p99_ms_at_{depth}", $"submit p99 ms @ {at}", FigureKind.Milliseconds, Number(submit?["p99_ms"]), null));
            rows.Add(($"rss_before_bytes_at_{depth}", $"silo RSS before preload @ {at}", FigureKind.Mebibytes, before, null));
            rows.Add(($"rss_pending_bytes_at_{depth}", $"silo RSS with {at} pending", FigureKind.Mebibytes, Number(memory?["rss_with_pending_bytes"]), null));
            rows.Add(($"rss_after_drain_bytes_at_{depth}", $"silo RSS after drain @ {at}", FigureKind.Mebibytes, after, null));
            rows.Add(($"rss_growth_bytes_per_pending_job_at_{depth}", $"RSS growth B/pending job @ {at}", FigureKind.Bytes, Number(memory?["bytes_per_pending_job"]), targeted ? SuiteTarget.AtMost(Targets.BytesPerPendingJob) : null));
            rows.Add(($"rss_after_drain_over_before_at_{depth}", $"RSS after drain / before @ {at}", FigureKind.Ratio, after / before, targeted ? SuiteTarget.AtMost(1.5) : null));
            rows.Add(($"silo_cpu_seconds_per_1000_consumes_at_{depth}", $"silo CPU s / 1k consumes @ {at}", FigureKind.Seconds, Number(run?["silo_cpu"]?["drain_seconds_per_thousand_consumes"]), null));
            rows.Add(($"exactly_once_at_{depth}", $"exactly-once @ {at}", FigureKind.PassFail, PassFail(run?["exactly_once"]?["passed"]), null));
        }

        if (depths.Count >= 2)
        {
            var low = depths.Min();
            var high = depths.Max();
            var p99Low = Number(Phase(items.GetValueOrDefault($"depth-{low}"), "drain")?["p99_ms"]);
            var p99High = Number(Phase(items.GetValueOrDefault($"depth-{high}"), "drain")?["p99_ms"]);
            rows.Add(("depth_ratio_consume_p99", $"depth ratio p99 {Depth(high)} / {Depth(low)}", FigureKind.Ratio, p99High / p99Low, SuiteTarget.AtMost(1.2)));
        }

        var poll = items.GetValueOrDefault("long-poll");
        rows.Add(("long_poll_dispatch_p50_ms", "long-poll dispatch p50 ms", FigureKind.Milliseconds, Number(poll?["dispatch"]?["p50_ms"]), null));
        rows.Add(("long_poll_dispatch_p99_ms", "long-poll dispatch p99 ms", FigureKind.Milliseconds, Number(poll?["dispatch"]?["p99_ms"]), SuiteTarget.Below(20)));
        rows.Add(("long_poll_dispatch_max_ms", "long-poll dispatch max ms", FigureKind.Milliseconds, Number(poll?["dispatch"]?["max_ms"]), null));
        rows.Add(("long_poll_dispatch_p99_with_warmup_ms", "long-poll p99 ms, warm-up included", FigureKind.Milliseconds, Number(poll?["dispatch_with_warmup"]?["p99_ms"]), null));
        rows.Add(("long_poll_exactly_once", "long-poll exactly-once", FigureKind.PassFail, PassFail(poll?["exactly_once"]?["passed"]), null));

        var restart = items.GetValueOrDefault("restart");
        rows.Add(("restart_first_consume_seconds", "restart: first consume s", FigureKind.Seconds, Number(restart?["first_job_seconds"]), SuiteTarget.AtMost(10)));
        rows.Add(("restart_all_queues_loaded_seconds", "restart: all queues loaded s", FigureKind.Seconds, Number(restart?["all_queues_loaded_seconds"]), SuiteTarget.AtMost(10)));
        rows.Add(("restart_drain_per_second", "restart: drain consume/s", FigureKind.Rate, Number(restart?["drain"]?["rate_per_second"]), null));
        rows.Add(("restart_exactly_once", "restart exactly-once", FigureKind.PassFail, PassFail(restart?["exactly_once"]?["passed"]), null));
        return rows;
    }

    /// <summary>1000 → "1k", 100000 → "100k", 1500 → "1500".</summary>
    public static string Depth(int depth) =>
        depth % 1000 == 0 ? (depth / 1000).ToString(CultureInfo.InvariantCulture) + "k" : depth.ToString(CultureInfo.InvariantCulture);

    private static JsonNode? Phase(JsonNode? run, string name) =>
        run?["phases"] is JsonArray phases ? phases.FirstOrDefault(p => (string?)p?["phase"] == name) : null;

    private static double? Number(JsonNode? node) =>
        node is not JsonValue value ? null
        : value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<int>(out var i) ? i
        : null;

    private static double? PassFail(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var b) ? (b ? 1 : 0) : null;
}
