namespace CompassCi.Grains.Queues;

/// <summary>
/// The ordered pending jobs of one queue, with the memory filter. Jobs are kept by priority class, then by account,
/// each account's jobs in <see cref="PendingOrder"/> (oldest first), so "best account first, then its oldest job" costs
/// one look per account rather than a scan of the queue. Plain data: the grain owns the concurrency rules, this class
/// owns the order.
/// </summary>
public sealed class PendingJobs
{
    // Higher priority first.
    private readonly SortedDictionary<int, Dictionary<string, SortedSet<PendingJob>>> _classes =
        new(Comparer<int>.Create((x, y) => y.CompareTo(x)));

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

        if (!_classes.TryGetValue(job.Priority, out var accounts))
        {
            accounts = new Dictionary<string, SortedSet<PendingJob>>(StringComparer.Ordinal);
            _classes[job.Priority] = accounts;
        }

        if (!accounts.TryGetValue(job.Account, out var jobs))
        {
            jobs = new SortedSet<PendingJob>(PendingOrder.Instance);
            accounts[job.Account] = jobs;
        }

        jobs.Add(job);
        return true;
    }

    public bool Remove(long id)
    {
        if (!_byId.Remove(id, out var job))
        {
            return false;
        }

        var accounts = _classes[job.Priority];
        var jobs = accounts[job.Account];
        jobs.Remove(job);
        if (jobs.Count == 0)
        {
            accounts.Remove(job.Account);
            if (accounts.Count == 0)
            {
                _classes.Remove(job.Priority);
            }
        }

        return true;
    }

    /// <summary>
    /// The job to hand a testbox with <paramref name="memoryMb"/>: in the highest priority class that has a job that fits,
    /// the best-ranked account's oldest job that fits, skipping accounts at their running cap. Without
    /// <paramref name="ranks"/>, or with fair-share off, the first fitting job in <see cref="PendingOrder"/> among accounts
    /// not at their cap.
    /// </summary>
    public PendingJob? Best(long memoryMb, IAccountRanks? ranks = null)
    {
        var fair = ranks is { Enabled: true };
        foreach (var accounts in _classes.Values)
        {
            PendingJob? best = null;
            var bestRank = double.MaxValue;
            foreach (var (account, jobs) in accounts)
            {
                if (ranks is not null && ranks.AtCap(account) || FirstFitting(jobs, memoryMb) is not { } job)
                {
                    continue;
                }

                var rank = fair ? ranks!.Rank(account) : 0;
                if (best is null || rank < bestRank || (rank == bestRank && PendingOrder.Instance.Compare(job, best) < 0))
                {
                    best = job;
                    bestRank = rank;
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        return null;
    }

    /// <summary>The oldest submit time among the pending jobs.</summary>
    public long? OldestSubmitTime() => _byId.Count == 0 ? null : _byId.Values.Min(j => j.SubmitTime);

    private static PendingJob? FirstFitting(SortedSet<PendingJob> jobs, long memoryMb)
    {
        // The oldest job usually fits; only then is a walk down the set needed.
        var oldest = jobs.Min;
        if (oldest is null || oldest.MemoryMb <= memoryMb)
        {
            return oldest;
        }

        foreach (var job in jobs)
        {
            if (job.MemoryMb <= memoryMb)
            {
                return job;
            }
        }

        return null;
    }
}
