
namespace CompassCi.Grains.Queues;

/// <summary>
/// The pending jobs of one requirement key (<c>arch=aarch64,tbox_group=vm-2p8g</c>), ordered by priority, then the
/// account's fair-share rank, then submit time. A cache of the <c>jobs</c> table: it rebuilds itself from the table on activation.
/// </summary>
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Adds a stored job; adding a job twice keeps one copy.</summary>
    Task Enqueue(PendingJob job);

    /// <summary>The job this queue would give a testbox with that much memory.</summary>
    Task<QueuePeek> Peek(long memoryMb);

    /// <summary>
    /// Takes the best job that fits the memory and assigns it through its JobGrain; the assignment is
    /// persisted before this returns. A job is handed out at most once.
    /// </summary>
    Task<ClaimOutcome> Claim(ClaimRequest request);

    /// <summary>
    /// Returns true as soon as the queue has received more than <paramref name="knownArrivals"/> jobs,
    /// false when <paramref name="timeout"/> passes first. Does not block the queue. A waiter that waits on this queue
    /// <paramref name="alone"/> (its testbox matches no other) is woken one per arrival, not all of them for each job.
    /// </summary>
    Task<bool> WaitForWork(long knownArrivals, TimeSpan timeout, bool alone = false, CancellationToken cancellationToken = default);

    /// <summary>Takes a job out of the queue at once (it was cancelled); false when it was not here.</summary>
    Task<bool> Remove(long jobId);

    /// <summary>Count and age of the pending jobs.</summary>
    Task<QueueSummary> Summary();
}
