using System.Diagnostics;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Exact percentiles by the nearest-rank method on a fully sorted sample: the p-th percentile is the smallest
/// value with at least p% of the sample at or below it. No interpolation and no histogram buckets, so a
/// reported p99 is a latency some request really had.
/// </summary>
public static class Percentiles
{
    /// <summary>
    /// The <paramref name="percentile"/>-th value of <paramref name="sorted"/> (ascending), or null for an empty sample.
    /// Rank = ceil(p / 100 * n), 1-based; e.g. n = 100 gives p50 = 50th value and p99 = 99th value.
    /// </summary>
    public static long? NearestRank(IReadOnlyList<long> sorted, double percentile)
    {
        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be in (0, 100]");
        }

        if (sorted.Count == 0)
        {
            return null;
        }

        // Multiply before dividing: p * n is an exact integer for whole p, and dividing an exact multiple of 100 by
        // 100 is exact in IEEE doubles, so the ceiling never rounds past a whole rank
        // (p / 100 first would: 0.07 * 100 is 7.000000000000001, so p7 of 100 values would pick rank 8).
        var rank = (long)Math.Ceiling(percentile * sorted.Count / 100.0);
        rank = Math.Clamp(rank, 1, sorted.Count);
        return sorted[(int)(rank - 1)];
    }

    /// <summary>Converts a <see cref="Stopwatch"/> tick count (not TimeSpan ticks) to milliseconds.</summary>
    public static double TicksToMilliseconds(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;
}
