namespace CompassCi.Grains.Storage;

/// <summary>Stage lists as SQL, rendered from <see cref="JobStages"/> so the code and the queries share one list.</summary>
internal static class SqlLists
{
    /// <summary>The stages of a job a testbox holds: what leases, deadlines and the registry look at.</summary>
    public static readonly string ActiveStages = InList(JobStages.Active);

    /// <summary>The active stages a testbox has confirmed: it must keep heartbeating in them.</summary>
    public static readonly string ConfirmedStages = InList(JobStages.Confirmed);

    /// <summary>Rows a sweep or page reads at most, bounded so one query never reads a whole table.</summary>
    public static int Limit(int limit, int max = 10_000) => Math.Clamp(limit, 1, max);

    // Stage names are our own constants (lower-case words), never client input, so quoting them inline is safe.
    private static string InList(IEnumerable<string> words) => "(" + string.Join(", ", words.Select(w => $"'{w}'")) + ")";
}
