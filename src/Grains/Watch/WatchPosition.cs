using System.Globalization;

namespace CompassCi.Grains.Watch;

/// <summary>
/// A place in the many-job watch's order of events: (effective time, job id, 1-based index in the job's history). Every
/// event at or before it has been seen. Written <c>{time}-{job}-{index}</c>; clients treat it as opaque.
/// </summary>
public readonly record struct WatchPosition(long Time, long JobId, int Index) : IComparable<WatchPosition>
{
    /// <summary>Before every event at <paramref name="time"/> or later.</summary>
    public static WatchPosition Before(long time) => new(time, 0, 0);

    public int CompareTo(WatchPosition other) =>
        Time != other.Time ? Time.CompareTo(other.Time)
        : JobId != other.JobId ? JobId.CompareTo(other.JobId)
        : Index.CompareTo(other.Index);

    public static bool operator <(WatchPosition a, WatchPosition b) => a.CompareTo(b) < 0;

    public static bool operator >(WatchPosition a, WatchPosition b) => a.CompareTo(b) > 0;

    public static bool operator <=(WatchPosition a, WatchPosition b) => a.CompareTo(b) <= 0;

    public static bool operator >=(WatchPosition a, WatchPosition b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Time}-{JobId}-{Index}");

    /// <summary>Reads a position written by <see cref="ToString"/>; false for anything else.</summary>
    public static bool TryParse(string? text, out WatchPosition position)
    {
        position = default;
        var parts = text?.Split('-');
        if (parts is not { Length: 3 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var time)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var job)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }

        position = new WatchPosition(time, job, index);
        return true;
    }
}
