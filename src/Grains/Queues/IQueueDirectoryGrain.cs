namespace CompassCi.Grains.Queues;

/// <summary>
/// The cluster-wide list of queue keys (a singleton, key 0). Each silo keeps a copy indexed by tag,
/// so a consume finds candidate queues without asking anyone.
/// </summary>
public interface IQueueDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a key; returns the snapshot version that includes it.</summary>
    Task<long> Register(string queueKey);

    /// <summary>
    /// Returns the keys once the version differs from <paramref name="knownVersion"/>, or after the timeout
    /// with whatever is current. Does not block the directory.
    /// </summary>
    Task<QueueKeySnapshot> WaitForChange(long knownVersion, TimeSpan timeout, CancellationToken cancellationToken = default);
}
