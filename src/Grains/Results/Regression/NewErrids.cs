namespace CompassCi.Grains.Results.Regression;

/// <summary>The regression rule: which of a run's errids no earlier run of the same test showed.</summary>
public static class NewErrids
{
    /// <summary>
    /// The errids of <paramref name="current"/> that none of <paramref name="earlierRuns"/> has, sorted. With no earlier
    /// run there is nothing to compare with, so nothing is new: a test's first run reports no regression.
    /// </summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> current, IReadOnlyCollection<IEnumerable<string>> earlierRuns)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(earlierRuns);
        if (earlierRuns.Count == 0)
        {
            return [];
        }

        var seen = earlierRuns.SelectMany(r => r).ToHashSet(StringComparer.Ordinal);
        return [.. current.Where(e => !seen.Contains(e)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
