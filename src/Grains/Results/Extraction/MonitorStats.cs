using System.Text.Json;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// One monitor's samples reduced to stats the way lkp-tests' <c>create_stats_matrix</c> reduces them (lib/matrix.rb),
/// key by key, keeping every key as it is (dump-stat already named it <c>&lt;monitor&gt;.&lt;stat&gt;</c>):
/// <list type="bullet">
/// <item>the <c>&lt;monitor&gt;.time</c> key is no stat; it only places the job's stats_part_begin/end window;</item>
/// <item>one sample is the stat itself, whatever it is (a <c>.element</c> string stays a string);</item>
/// <item>an independent counter is the sum of its samples, an event counter the last minus the first;</item>
/// <item>anything else is the mean <c>v.sum / stats_part_len</c>: the divisor is the monitor's window length (its
/// longest column), not this key's sample count, and Integer samples divide as Ruby Integers (floored), so
/// [1, 2] averages to 1 — exactly lkp's numbers, quirks included, so stats compare with lkp's own;</item>
/// <item>a key matching a max-latency pattern also gets <c>&lt;key&gt;.max</c>.</item>
/// </list>
/// Where lkp's Ruby would raise and lose the whole result (several samples that are not all numbers, an Integer
/// mean over an empty window) the key alone is left out and named as a problem. dump-stat's <c>.message</c> and
/// <c>.log</c> keys hold one string, not samples: they are left out of the stats (lkp would take a checksum of the
/// text) and kept in the matrix.
/// </summary>
public static class MonitorStats
{
    public static IReadOnlyList<KeyValuePair<string, Sample>> Reduce(MonitorFile file, double partBegin, double partEnd, ExtractionRules rules, Action<string> problem)
    {
        var timeKey = file.Monitor + ".time";
        var columns = new List<(string Key, IReadOnlyList<Sample>? Samples)>(file.Columns.Count);
        foreach (var (key, value) in file.Columns)
        {
            columns.Add((key, value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(Sample.From)] : null));
        }

        var sampleSize = columns.Select(c => c.Samples?.Count ?? 0).DefaultIfEmpty(0).Max();
        var window = StatsWindow.Of(Times(columns.Find(c => c.Key == timeKey).Samples, timeKey, problem), sampleSize, partBegin, partEnd);

        var stats = new List<KeyValuePair<string, Sample>>();
        foreach (var (key, all) in columns)
        {
            if (key == timeKey)
            {
                continue;
            }

            if (all is null)
            {
                if (!key.EndsWith(".message", StringComparison.Ordinal) && !key.EndsWith(".log", StringComparison.Ordinal))
                {
                    problem($"key '{key}' is not an array of samples; left out of the stats");
                }

                continue;
            }

            var samples = rules.IgnoresPart(key) ? all : window.Slice(all);
            if (samples is null || samples.Count == 0)
            {
                continue;
            }

            if (Reduce(key, samples, window.Length, rules, problem) is { } stat)
            {
                stats.Add(new(key, stat));
            }

            if (rules.AddsMax(key, problem) && (samples.Count == 1 || samples.All(s => s.IsNumber)))
            {
                stats.Add(new(key + ".max", samples.Count == 1 ? samples[0] : RubyArithmetic.Max(samples)));
            }
        }

        return stats;
    }

    private static Sample? Reduce(string key, IReadOnlyList<Sample> samples, int windowLength, ExtractionRules rules, Action<string> problem)
    {
        if (samples.Count == 1)
        {
            return samples[0];
        }

        if (!samples.All(s => s.IsNumber))
        {
            problem($"key '{key}' has {samples.Count} samples that are not all numbers; left out of the stats");
            return null;
        }

        Sample? stat = rules.IsIndependentCounter(key) ? RubyArithmetic.Sum(samples)
            : rules.IsEventCounter(key) ? RubyArithmetic.Subtract(samples[^1], samples[0])
            : RubyArithmetic.Divide(RubyArithmetic.Sum(samples), windowLength);
        if (stat is not { IsWritable: true })
        {
            problem($"key '{key}' has no finite mean over a window of {windowLength} samples; left out of the stats");
            return null;
        }

        return stat;
    }

    /// <summary>The time column as numbers; null (all samples count) when there is none or it holds something else.</summary>
    private static List<double>? Times(IReadOnlyList<Sample>? samples, string timeKey, Action<string> problem)
    {
        if (samples is null)
        {
            return null;
        }

        if (!samples.All(s => s.IsNumber))
        {
            problem($"key '{timeKey}' holds something other than numbers; the job's stats_part window is not applied");
            return null;
        }

        return [.. samples.Select(s => s.AsDouble)];
    }
}
