namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// The samples of a monitor that count, from the job's <c>stats_part_begin</c>/<c>stats_part_end</c> (seconds) and
/// the monitor's <c>&lt;monitor&gt;.time</c> column, as lkp's <c>create_stats_matrix</c> picks them: Start is the
/// first sample at or after begin, Length runs to the first sample at or after end. Length is also the divisor of
/// every mean in the monitor, even for a key with fewer samples or one that ignores the window.
/// </summary>
public readonly record struct StatsWindow(int Start, int Length)
{
    /// <param name="times">The <c>.time</c> column as numbers, or null when the monitor has none usable.</param>
    /// <param name="sampleSize">The monitor's longest column.</param>
    public static StatsWindow Of(IReadOnlyList<double>? times, int sampleSize, double partBegin, double partEnd)
    {
        var start = 0;
        var length = sampleSize;

        // lkp ignores a time column of two samples or fewer: a start and an end, not a sequence.
        if (times is null || times.Count <= 2)
        {
            return new(start, length);
        }

        var first = times[0];
        var relative = first > 2 && (partBegin != 0 || partEnd != 0) ? times.Select(t => t - first).ToList() : times;
        if (partBegin != 0)
        {
            start = FirstAtOrAfter(relative, partBegin) ?? sampleSize;
            length -= start;
        }

        if (partEnd != 0)
        {
            length = (FirstAtOrAfter(relative, partEnd) ?? sampleSize) - start;
        }

        return new(start, length);
    }

    /// <summary>
    /// Ruby's <c>samples[Start, Length]</c>: null when Start is past the end or Length is negative, fewer samples
    /// when the column is shorter.
    /// </summary>
    public IReadOnlyList<Sample>? Slice(IReadOnlyList<Sample> samples)
    {
        if (Start > samples.Count || Length < 0)
        {
            return null;
        }

        var count = Math.Min(Length, samples.Count - Start);
        return Start == 0 && count == samples.Count ? samples : samples.Skip(Start).Take(count).ToList();
    }

    private static int? FirstAtOrAfter(IReadOnlyList<double> times, double limit)
    {
        for (var i = 0; i < times.Count; i++)
        {
            if (times[i] >= limit)
            {
                return i;
            }
        }

        return null;
    }
}
