namespace CompassCi.Grains.Storage;

/// <summary>Fragments of SQL the stores share: stage lists rendered from <see cref="JobStages"/>, the database clock, limits.</summary>
internal static class SqlLists
{
    /// <summary>The stages of a job a testbox holds: what leases, deadlines and the registry look at.</summary>
    public static readonly string ActiveStages = InList(JobStages.Active);

    /// <summary>The active stages a testbox has confirmed: it must keep heartbeating in them.</summary>
    public static readonly string ConfirmedStages = InList(JobStages.Confirmed);

    /// <summary>
    /// The database's clock in unix milliseconds. Times that one silo stamps and another judges (heartbeat deadlines)
    /// are stamped and judged with this one clock, so silos whose clocks disagree cannot misjudge each other's.
    /// </summary>
    public const string NowMillis = "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)";

    /// <summary>Rows a sweep or page reads at most, bounded so one query never reads a whole table.</summary>
    public static int Limit(int limit, int max = 10_000) => Math.Clamp(limit, 1, max);

    // Stage names are our own constants (lower-case words), never client input, so quoting them inline is safe.
    private static string InList(IEnumerable<string> words) => "(" + string.Join(", ", words.Select(w => $"'{w}'")) + ")";
}
