namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// The one sweeper (key 0): every interval it finds, by indexed columns rather than a timer per job, what is overdue
/// or was not done in time (deadlines, silent testboxes, clusters, undelivered effects) and asks the owner to act.
/// </summary>
public interface ISweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the sweeper is active; each silo calls it periodically, so it survives failovers.</summary>
    Task Start();
}
