using System.Text.RegularExpressions;
using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// How a result folder's monitor files become stats (section <c>CompassCi:Extraction</c>). The lists are
/// null until configured, and then <see cref="ExtractionDefaults"/> apply: the configuration binder appends to a
/// list that already holds defaults instead of replacing it, so defaults cannot live in the properties.
/// With <see cref="LkpSrc"/> set, every list is read from that lkp-tests checkout's <c>etc/</c> instead.
/// </summary>
public sealed class ExtractionOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Extraction";

    /// <summary>Regular expressions; a stat key that one matches from its start is an errid (lkp's <c>etc/failure</c>).</summary>
    public List<string>? FailurePatterns { get; set; }

    /// <summary>Key prefixes of counters whose samples are summed (lkp's <c>etc/independent-counter-prefixes</c>).</summary>
    public List<string>? IndependentCounterPrefixes { get; set; }

    /// <summary>Key prefixes of ever-growing counters: the stat is last − first (lkp's <c>etc/event-counter-prefixes</c>).</summary>
    public List<string>? EventCounterPrefixes { get; set; }

    /// <summary>Key prefixes whose samples ignore the job's stats_part_begin/end window (lkp's <c>etc/ignore-part-prefixes</c>).</summary>
    public List<string>? IgnorePartPrefixes { get; set; }

    /// <summary>Regular expressions matching a whole key that also gets a <c>&lt;key&gt;.max</c> stat (lkp's <c>etc/add-max-latency</c>).</summary>
    public List<string>? MaxLatencyPatterns { get; set; }

    /// <summary>An lkp-tests checkout whose <c>etc/</c> lists replace the ones above. Unset by default.</summary>
    public string? LkpSrc { get; set; }

    /// <summary>The most bytes read from one monitor file (after gunzip); a bigger one is skipped as a problem. Default 64 MiB.</summary>
    public long MaxFileBytes { get; set; } = 64L << 20;

    /// <summary>How long one pattern may take on one key before it counts as no match (and a problem). Default 100 ms.</summary>
    public TimeSpan PatternMatchTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        foreach (var problem in OptionRules.Between(Section, nameof(MaxFileBytes), MaxFileBytes, 1024, 1L << 30, " of bytes"))
        {
            yield return problem;
        }

        foreach (var problem in OptionRules.Between(Section, nameof(PatternMatchTimeout), PatternMatchTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1)))
        {
            yield return problem;
        }

        if (LkpSrc is not null)
        {
            if (!Directory.Exists(LkpSrc))
            {
                yield return $"{Section}:{nameof(LkpSrc)} is '{LkpSrc}', which is not a folder; it must name an lkp-tests checkout";
                yield break;
            }

            var missing = LkpLists.Files.Where(file => !File.Exists(Path.Combine(LkpSrc, "etc", file))).ToList();
            if (missing.Count > 0)
            {
                yield return $"{Section}:{nameof(LkpSrc)} is '{LkpSrc}', an lkp-tests checkout without etc/{string.Join(", etc/", missing)}";
                yield break;
            }
        }

        ExtractionLists lists;
        string? readError = null;
        try
        {
            lists = ExtractionLists.From(this);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            lists = ExtractionLists.Empty;
            readError = error.Message;
        }

        if (readError is not null)
        {
            yield return $"{Section}:{nameof(LkpSrc)}: cannot read its lists: {readError}";
        }

        foreach (var problem in PatternProblems(lists.FailurePatterns, nameof(FailurePatterns)).Concat(PatternProblems(lists.MaxLatencyPatterns, nameof(MaxLatencyPatterns))))
        {
            yield return problem;
        }
    }

    private IEnumerable<string> PatternProblems(IReadOnlyList<string> patterns, string name)
    {
        var source = LkpSrc is null ? $"{Section}:{name}" : $"{Section}:{nameof(LkpSrc)} {name}";
        for (var i = 0; i < patterns.Count; i++)
        {
            string? error = null;
            try
            {
                // Compiled only to see that it compiles; a timeout out of range is reported above, not as a bad pattern.
                _ = new Regex(patterns[i], RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
            }

            if (error is not null)
            {
                yield return $"{source}:{i} is '{patterns[i]}', which is not a regular expression: {error}";
            }
        }
    }
}
