namespace CompassCi.Grains.Clusters;

/// <summary>
/// The barrier of one multi-node cluster, keyed by the cluster id (its first node's job id). It holds every node's
/// state and addresses, persisted on each change, and answers waits without blocking: many nodes wait at once while
/// others report. A wait is bounded by <c>maxWait</c> (keep it under the Orleans response timeout); callers that
/// must hold longer ask again.
/// </summary>
public interface IClusterBarrierGrain : IGrainWithStringKey
{
    /// <summary>The cluster as it stands; null when no cluster has this id.</summary>
    Task<ClusterSnapshot?> Get();

    /// <summary>lkp's <c>write_state</c>: the node reports its roles and addresses (null items stay as they were).</summary>
    Task<ClusterReply> WriteState(string jobId, string? roles, string? ip, string? directMacs, string? directIps);

    /// <summary>
    /// The node has reached <paramref name="target"/> (1 start, 2 ready, 3 finish); answers once every node has
    /// (the target's word), at once on an abort (<c>abort</c>), or after <paramref name="maxWait"/> (<c>retry</c>).
    /// A zero wait records and answers where things stand.
    /// </summary>
    Task<ClusterReply> Reach(string jobId, int target, TimeSpan maxWait);

    /// <summary>The node failed or gave up (lkp's <c>failed</c> and <c>abort</c>): the whole cluster aborts.</summary>
    Task<ClusterReply> Abort(string jobId, string reason);

    /// <summary>Changes after <paramref name="afterSeq"/>, waiting up to <paramref name="maxWait"/> for one when there are none.</summary>
    Task<ClusterChanges> Changes(int afterSeq, TimeSpan maxWait);

    /// <summary>
    /// Brings the cluster in line with its node jobs and its start deadline: aborts it when a node job ended badly or
    /// was cancelled, or when not every node started in time; closes node jobs an abort has not closed yet; marks it
    /// finished when every node job succeeded. Safe to repeat; the sweeper calls it for clusters that need it.
    /// </summary>
    Task Reconcile();
}
