using System.Collections.Concurrent;

namespace CompassCi.Grains.Telemetry;

/// <summary>
/// What the queues active on this silo hold now, for the <c>compassci.queue.*</c> gauges: each <c>QueueGrain</c>
/// publishes into its own <see cref="QueueLoad"/>, and a scrape reads them from memory, never from the database. A
/// queue is active on one silo at a time, so each queue is reported by exactly one silo.
/// </summary>
public sealed class QueueLoads
{
    private readonly ConcurrentDictionary<string, QueueLoad> _queues = new(StringComparer.Ordinal);

    /// <summary>Starts reporting a queue activated here (a newer activation replaces an older one).</summary>
    public QueueLoad Track(string queueKey)
    {
        var load = new QueueLoad();
        _queues[queueKey] = load;
        return load;
    }

    /// <summary>Stops reporting a queue deactivated here, unless a newer activation has taken its place.</summary>
    public void Untrack(string queueKey, QueueLoad load) => _queues.TryRemove(KeyValuePair.Create(queueKey, load));

    /// <summary>Every queue reported here now.</summary>
    public IEnumerable<KeyValuePair<string, QueueLoad>> Current => _queues;
}

/// <summary>One queue's pending count and oldest pending job, written by its grain, read by scrapes on other threads.</summary>
public sealed class QueueLoad
{
    private int _pending;
    private long _oldestSubmitTime = long.MaxValue;

    /// <summary>Pending jobs.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Submit time (unix ms) of the oldest pending job; null when none is pending.</summary>
    public long? OldestSubmitTime => Volatile.Read(ref _oldestSubmitTime) is var t && t != long.MaxValue ? t : null;

    /// <summary>The pending count now; an empty queue has no oldest job either.</summary>
    public void Publish(int pending)
    {
        Volatile.Write(ref _pending, pending);
        if (pending == 0)
        {
            PublishOldest(null);
        }
    }

    public void PublishOldest(long? submitTime) => Volatile.Write(ref _oldestSubmitTime, submitTime ?? long.MaxValue);
}
