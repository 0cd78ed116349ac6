namespace CompassCi.LoadGenerator;

/// <summary>p50 and p99 of one set of request latencies, in milliseconds; null when nothing was measured.</summary>
public sealed record LatencySummary(int Count, double? P50Ms, double? P99Ms)
{
    /// <summary>Summarizes raw Stopwatch-tick latencies; sorts a copy, leaving the caller's list alone.</summary>
    public static LatencySummary From(IEnumerable<long> stopwatchTicks)
    {
        var sorted = stopwatchTicks.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, ToMs(Percentiles.NearestRank(sorted, 50)), ToMs(Percentiles.NearestRank(sorted, 99)));
    }

    private static double? ToMs(long? ticks) => ticks is { } t ? Percentiles.TicksToMilliseconds(t) : null;
}
