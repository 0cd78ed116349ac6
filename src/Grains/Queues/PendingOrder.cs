namespace CompassCi.Grains.Queues;

/// <summary>
/// The order of jobs without fair-share: higher priority first, then older first, then lower id. With fair-share,
/// <see cref="PendingJobs"/> puts the best-ranked account between priority and submit time, and orders each account's
/// own jobs by this.
/// </summary>
public sealed class PendingOrder : IComparer<PendingJob>
{
    public static readonly PendingOrder Instance = new();

    public int Compare(PendingJob? x, PendingJob? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var byPriority = y.Priority.CompareTo(x.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byTime = x.SubmitTime.CompareTo(y.SubmitTime);
        return byTime != 0 ? byTime : x.Id.CompareTo(y.Id);
    }
}
