using System.Text.RegularExpressions;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// The per-key decisions of lkp-tests' <c>lib/matrix.rb</c> and <c>lib/stats.rb</c>, from resolved lists: counters
/// by prefix (<c>event_counter?</c>, <c>independent_counter?</c>, <c>ignore_part</c>), failures by a pattern matched
/// from the key's start (<c>is_failure</c>: <c>/^#{pattern}/</c>) and max latencies by one matched whole
/// (<c>should_add_max_latency</c>: <c>/^#{pattern}$/</c>). The anchors are joined to the pattern as lkp joins them,
/// without a group, so a pattern behaves exactly as it does in lkp. lkp's patterns use lookaheads, so the
/// non-backtracking engine cannot run them; every match has a timeout instead.
/// </summary>
public sealed class ExtractionRules
{
    private readonly ExtractionLists _lists;
    private readonly Regex[] _failures;
    private readonly Regex[] _maxLatencies;

    /// <summary>Compiles the patterns; throws ArgumentException for one that is not a regular expression (Check reports it first).</summary>
    public ExtractionRules(ExtractionLists lists, TimeSpan matchTimeout)
    {
        _lists = lists;
        _failures = [.. lists.FailurePatterns.Select(p => new Regex("^" + p, RegexOptions.CultureInvariant, matchTimeout))];
        _maxLatencies = [.. lists.MaxLatencyPatterns.Select(p => new Regex("^" + p + "$", RegexOptions.CultureInvariant, matchTimeout))];
    }

    public bool IsIndependentCounter(string key) => StartsWithAny(key, _lists.IndependentCounterPrefixes);

    public bool IsEventCounter(string key) => StartsWithAny(key, _lists.EventCounterPrefixes);

    /// <summary>Whether the key keeps all its samples whatever the job's stats_part_begin/end.</summary>
    public bool IgnoresPart(string key) => StartsWithAny(key, _lists.IgnorePartPrefixes);

    /// <summary>Whether <paramref name="key"/> is an errid. A pattern that times out counts as no match and adds a problem.</summary>
    public bool IsFailure(string key, Action<string> problem) => AnyMatch(_failures, key, problem);

    /// <summary>Whether the key also gets a <c>&lt;key&gt;.max</c> stat.</summary>
    public bool AddsMax(string key, Action<string> problem) => AnyMatch(_maxLatencies, key, problem);

    private static bool StartsWithAny(string key, IReadOnlyList<string> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyMatch(Regex[] patterns, string key, Action<string> problem)
    {
        foreach (var pattern in patterns)
        {
            try
            {
                if (pattern.IsMatch(key))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                problem($"pattern '{pattern}' took longer than {pattern.MatchTimeout.TotalMilliseconds} ms on key '{key}'; taken as no match");
            }
        }

        return false;
    }
}
