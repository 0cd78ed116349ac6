namespace CompassCi.Grains.Queues;

/// <summary>
/// The ordered pending jobs of one queue, with the memory filter. Plain data: the grain owns the
/// concurrency rules, this class owns the order.
/// </summary>
public sealed class PendingJobs
{
    private readonly SortedSet<PendingJob> _ordered = new(PendingOrder.Instance);
    private readonly Dictionary<long, PendingJob> _byId = [];

    public int Count => _byId.Count;

    public bool Contains(long id) => _byId.ContainsKey(id);

    /// <summary>Adds a job unless one with its id is already here.</summary>
    public bool Add(PendingJob job)
    {
        if (!_byId.TryAdd(job.Id, job))
        {
            return false;
        }

        _ordered.Add(job);
        return true;
    }

    public bool Remove(long id)
    {
        if (!_byId.Remove(id, out var job))
        {
            return false;
        }

        _ordered.Remove(job);
        return true;
    }

    /// <summary>The first job in order that needs no more than <paramref name="memoryMb"/>.</summary>
    public PendingJob? Best(long memoryMb)
    {
        foreach (var job in _ordered)
        {
            if (job.MemoryMb <= memoryMb)
            {
                return job;
            }
        }

        return null;
    }

    /// <summary>The oldest submit time among the pending jobs.</summary>
    public long? OldestSubmitTime() => _byId.Count == 0 ? null : _byId.Values.Min(j => j.SubmitTime);
}
