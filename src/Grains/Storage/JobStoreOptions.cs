using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Storage;

/// <summary>How writes to the scheduler's database are grouped into commits (section <c>CompassCi:JobStore</c>).</summary>
public sealed class JobStoreOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:JobStore";

    /// <summary>
    /// Commits of each kind (job writes, batched claims) that may be under way at once. Each commit carries every write
    /// that arrived while the previous ones were in flight, so one keeps the database busy: a commit costs the database
    /// about a millisecond of CPU whatever its size, and with four at once the same load came in smaller batches (2 cores:
    /// 8.8 claims a batch against 27.9, and the database's CPU per consume 0.25 against 0.17 ms, per submit 0.21 against
    /// 0.13 ms). More help only where commits wait on a slow disk with CPU to spare. Default 1.
    /// </summary>
    public int ConcurrentCommits { get; set; } = 1;

    /// <summary>Most writes in one commit. Default 256.</summary>
    public int MaxWritesPerCommit { get; set; } = 256;

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(ConcurrentCommits), ConcurrentCommits, 1, 64),
        .. OptionRules.Between(Section, nameof(MaxWritesPerCommit), MaxWritesPerCommit, 1, 10_000),
    ];
}
