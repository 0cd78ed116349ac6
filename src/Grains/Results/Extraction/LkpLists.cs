namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// Reads the lists from an lkp-tests checkout's <c>etc/</c> the way lkp-tests reads them: the prefix files split on
/// any white space, the pattern files one regular expression a line.
/// </summary>
public static class LkpLists
{
    public const string Failure = "failure";
    public const string IndependentCounterPrefixes = "independent-counter-prefixes";
    public const string EventCounterPrefixes = "event-counter-prefixes";
    public const string IgnorePartPrefixes = "ignore-part-prefixes";
    public const string AddMaxLatency = "add-max-latency";

    /// <summary>Every file under <c>etc/</c> extraction reads.</summary>
    public static IReadOnlyList<string> Files { get; } = [Failure, IndependentCounterPrefixes, EventCounterPrefixes, IgnorePartPrefixes, AddMaxLatency];

    /// <summary>The white-space separated words of <c>etc/<paramref name="file"/></c> (Ruby's <c>String#split</c>).</summary>
    public static IReadOnlyList<string> Prefixes(string lkpSrc, string file) =>
        File.ReadAllText(Path.Combine(lkpSrc, "etc", file)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The lines of <c>etc/<paramref name="file"/></c>. lkp splits on "\n" and keeps a blank line in the middle, which
    /// as a pattern would match every key; blank lines are dropped here instead.
    /// </summary>
    public static IReadOnlyList<string> Patterns(string lkpSrc, string file) =>
        File.ReadAllText(Path.Combine(lkpSrc, "etc", file)).Split('\n').Where(line => line.Length > 0).ToList();
}
