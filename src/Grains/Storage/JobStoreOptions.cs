namespace CompassCi.Grains.Storage;

/// <summary>How the job table is reached and how writes are grouped into commits.</summary>
public sealed class JobStoreOptions
{
    /// <summary>MySqlConnector connection string of the scheduler database.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Commits that may be under way at once. Each commit carries every write that arrived while the
    /// previous ones were in flight, so a few suffice to keep the disk busy.
    /// </summary>
    public int ConcurrentCommits { get; set; } = 4;

    /// <summary>Most writes in one commit.</summary>
    public int MaxWritesPerCommit { get; set; } = 256;
}
