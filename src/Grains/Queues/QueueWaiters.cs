namespace CompassCi.Grains.Queues;

/// <summary>
/// Testboxes waiting for a queue's next job, oldest first, woken one at a time: a job that arrives wakes one waiter,
/// not every testbox of the queue to race for it (with hundreds waiting, that herd costs more than the hand-out). Only
/// a waiter that has not looked since the latest arrival is woken — one that came back after taking a job, or after
/// finding none that fits, has seen every job there is — so waking the next after a miss ends after one pass.
/// Not thread-safe: the queue grain's turns serialise every call.
/// </summary>
public sealed class QueueWaiters
{
    private readonly LinkedList<(long KnownArrivals, TaskCompletionSource<bool> Woken)> _waiting = new();

    /// <summary>How many wait now.</summary>
    public int Count => _waiting.Count;

    /// <summary>
    /// Waits until this waiter is woken (true) or <paramref name="timeout"/> passes or <paramref name="cancellationToken"/>
    /// fires (false). <paramref name="knownArrivals"/> is the queue's arrival count the waiter has seen.
    /// </summary>
    public async Task<bool> WaitAsync(long knownArrivals, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var node = _waiting.AddLast((knownArrivals, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)));
        try
        {
            return await node.Value.Woken.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            if (node.List is not null)
            {
                _waiting.Remove(node);
            }
        }
    }

    /// <summary>Wakes the oldest waiter that has not seen arrival <paramref name="arrivals"/>; false when there is none.</summary>
    public bool WakeOne(long arrivals)
    {
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            if (node.Value.KnownArrivals < arrivals)
            {
                _waiting.Remove(node);
                node.Value.Woken.TrySetResult(true);
                return true;
            }
        }

        return false;
    }
}
