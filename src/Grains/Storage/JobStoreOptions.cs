using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Storage;

/// <summary>How writes to the scheduler's database are grouped into commits (section <c>CompassCi:JobStore</c>).</summary>
public sealed class JobStoreOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:JobStore";

    /// <summary>
    /// Commits that may be under way at once. Each commit carries every write that arrived while the
    /// previous ones were in flight, so a few suffice to keep the disk busy. Default 4.
    /// </summary>
    public int ConcurrentCommits { get; set; } = 4;

    /// <summary>Most writes in one commit. Default 256.</summary>
    public int MaxWritesPerCommit { get; set; } = 256;

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(ConcurrentCommits), ConcurrentCommits, 1, 64),
        .. OptionRules.Between(Section, nameof(MaxWritesPerCommit), MaxWritesPerCommit, 1, 10_000),
    ];
}
