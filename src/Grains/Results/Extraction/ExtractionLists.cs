namespace CompassCi.Grains.Results.Extraction;

/// <summary>The lists extraction applies, resolved once: from an lkp-tests checkout, the configuration, or the defaults.</summary>
public sealed record ExtractionLists(
    IReadOnlyList<string> FailurePatterns,
    IReadOnlyList<string> IndependentCounterPrefixes,
    IReadOnlyList<string> EventCounterPrefixes,
    IReadOnlyList<string> IgnorePartPrefixes,
    IReadOnlyList<string> MaxLatencyPatterns)
{
    public static ExtractionLists Empty { get; } = new([], [], [], [], []);

    /// <summary>The lists <paramref name="options"/> name. Reads the checkout's files when LkpSrc is set (may throw IOException).</summary>
    public static ExtractionLists From(ExtractionOptions options) => options.LkpSrc is { } lkpSrc
        ? new(
            LkpLists.Patterns(lkpSrc, LkpLists.Failure),
            LkpLists.Prefixes(lkpSrc, LkpLists.IndependentCounterPrefixes),
            LkpLists.Prefixes(lkpSrc, LkpLists.EventCounterPrefixes),
            LkpLists.Prefixes(lkpSrc, LkpLists.IgnorePartPrefixes),
            LkpLists.Patterns(lkpSrc, LkpLists.AddMaxLatency))
        : new(
            options.FailurePatterns ?? ExtractionDefaults.FailurePatterns,
            options.IndependentCounterPrefixes ?? ExtractionDefaults.IndependentCounterPrefixes,
            options.EventCounterPrefixes ?? ExtractionDefaults.EventCounterPrefixes,
            options.IgnorePartPrefixes ?? ExtractionDefaults.IgnorePartPrefixes,
            options.MaxLatencyPatterns ?? ExtractionDefaults.MaxLatencyPatterns);
}
