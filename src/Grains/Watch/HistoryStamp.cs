using System.Text.Json.Nodes;

namespace CompassCi.Grains.Watch;

/// <summary>
/// The job's state after a change, written into each history entry the change appends (<c>job_stage</c>,
/// <c>job_health</c>), so a watcher reading the history later knows the state right after every entry without
/// replaying the transition rules.
/// </summary>
public static class HistoryStamp
{
    /// <summary>The entry field holding the job's stage after it.</summary>
    public const string StageField = "job_stage";

    /// <summary>The entry field holding the job's health after it (null while the job has not ended).</summary>
    public const string HealthField = "job_health";

    /// <summary><paramref name="entry"/> with the job's stage and health after it added to its details.</summary>
    public static JobHistoryEntry Stamp(JobHistoryEntry entry, string stage, string? health)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var detail = entry.Detail?.DeepClone().AsObject() ?? [];
        detail[StageField] = stage;
        detail[HealthField] = health;
        return entry with { Detail = detail };
    }

    /// <summary>Every entry of a change stamped with the state the change leaves the job in.</summary>
    public static IReadOnlyList<JobHistoryEntry> Stamp(IReadOnlyList<JobHistoryEntry> entries, JobRecord after)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(after);
        return [.. entries.Select(e => Stamp(e, after.Stage, after.Health))];
    }
}
