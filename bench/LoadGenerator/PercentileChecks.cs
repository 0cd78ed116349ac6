using System.Diagnostics;

namespace CompassCi.LoadGenerator;

/// <summary>Nearest-rank percentiles and tick conversion against hand-worked answers.</summary>
public static class PercentileChecks
{
    public static void Run(SelfTest t)
    {
        long[] hundred = [.. Enumerable.Range(1, 100).Select(i => (long)i)];
        t.Equal(50L, Percentiles.NearestRank(hundred, 50), "p50 of 1..100");
        t.Equal(99L, Percentiles.NearestRank(hundred, 99), "p99 of 1..100");
        t.Equal(100L, Percentiles.NearestRank(hundred, 100), "p100 of 1..100");
        t.Equal(1L, Percentiles.NearestRank(hundred, 1), "p1 of 1..100");
        t.Equal(7L, Percentiles.NearestRank(hundred, 7), "p7 of 1..100 (0.07 * 100 in doubles is just above 7)");
        t.Equal(1L, Percentiles.NearestRank(hundred, 0.5), "p0.5 of 1..100 (rank rounds up to 1)");

        long[] thousand = [.. Enumerable.Range(1, 1000).Select(i => (long)i)];
        t.Equal(500L, Percentiles.NearestRank(thousand, 50), "p50 of 1..1000");
        t.Equal(990L, Percentiles.NearestRank(thousand, 99), "p99 of 1..1000");
        t.Equal(999L, Percentiles.NearestRank(thousand, 99.9), "p99.9 of 1..1000");

        long[] tens = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        t.Equal(50L, Percentiles.NearestRank(tens, 50), "p50 of 10..100");
        t.Equal(90L, Percentiles.NearestRank(tens, 90), "p90 of 10..100");
        t.Equal(100L, Percentiles.NearestRank(tens, 99), "p99 of 10 values is the largest (rank ceil(9.9) = 10)");

        long[] five = [1, 2, 3, 4, 5];
        t.Equal(3L, Percentiles.NearestRank(five, 50), "p50 of 1..5 is the middle (rank ceil(2.5) = 3)");
        t.Equal(5L, Percentiles.NearestRank(five, 99), "p99 of 1..5");

        long[] four = [1, 2, 3, 4];
        t.Equal(2L, Percentiles.NearestRank(four, 50), "p50 of 1..4 is the lower middle");
        t.Equal(3L, Percentiles.NearestRank(four, 75), "p75 of 1..4");
        t.Equal(7L, Percentiles.NearestRank([7], 50), "p50 of one value");
        t.Equal(7L, Percentiles.NearestRank([7], 99), "p99 of one value");
        t.Equal<long?>(null, Percentiles.NearestRank([], 50), "p50 of nothing");

        t.Expect(Throws(() => Percentiles.NearestRank(hundred, 0)), "percentile 0 is refused");
        t.Expect(Throws(() => Percentiles.NearestRank(hundred, 100.5)), "percentile above 100 is refused");

        t.Close(1000, Percentiles.TicksToMilliseconds(Stopwatch.Frequency), "one second of Stopwatch ticks in ms");

        // 100 latencies of 1..100 ms in reverse order: the summary must sort, and must not sort the caller's list.
        var perMs = Stopwatch.Frequency / 1000.0;
        var reversed = Enumerable.Range(1, 100).Reverse().Select(ms => (long)Math.Round(ms * perMs)).ToList();
        var firstBefore = reversed[0];
        var summary = LatencySummary.From(reversed);
        t.Equal(100, summary.Count, "summary count");
        t.Close(50, Round(summary.P50Ms), "summary p50 ms");
        t.Close(99, Round(summary.P99Ms), "summary p99 ms");
        t.Equal(firstBefore, reversed[0], "summary leaves the input order alone");
        var empty = LatencySummary.From([]);
        t.Expect(empty.P50Ms is null && empty.P99Ms is null && empty.Count == 0, "summary of nothing has no percentiles");
    }

    // Tick rounding can leave a few nanoseconds either way; the checks are about which sample is picked.
    private static double? Round(double? ms) => ms is { } v ? Math.Round(v, 3) : null;

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            return true;
        }
    }
}
