namespace CompassCi.Grains.Watch;

/// <summary>
/// The many-job watch's rule, pure: from the histories of the jobs that changed since a position, the events after it
/// in (effective time, job id, index) order, but only those at or before a horizon (older than the settle window), so
/// that an event still being committed cannot later appear before one already sent.
/// </summary>
public static class ManyJobCursor
{
    /// <summary>
    /// Up to <paramref name="max"/> events after <paramref name="after"/> and at or before <paramref name="horizon"/>
    /// (unix ms), each with its position as its id; and where to go on from: the last one's position, or when there are
    /// none, past the horizon (nothing at or before it is left to send).
    /// </summary>
    public static (IReadOnlyList<JobEvent> Events, WatchPosition Next) Next(
        IEnumerable<(long JobId, string History)> jobs, WatchPosition after, long horizon, int max)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var due = jobs
            .SelectMany(job => JobEventReader.Read(job.JobId, job.History)
                .Select(e => (Position: new WatchPosition(e.EffectiveTime, job.JobId, e.Index), e.Event)))
            .Where(e => e.Position > after && e.Position.Time <= horizon)
            .OrderBy(e => e.Position)
            .Take(max)
            .ToList();
        if (due.Count > 0)
        {
            return ([.. due.Select(e => e.Event with { Id = e.Position.ToString() })], due[^1].Position);
        }

        var past = WatchPosition.Before(horizon + 1);
        return ([], past > after ? past : after);
    }
}
