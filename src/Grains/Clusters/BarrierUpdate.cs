namespace CompassCi.Grains.Clusters;

/// <summary>What a change to one node of a <see cref="ClusterBarrier"/> did.</summary>
public enum BarrierUpdate
{
    /// <summary>The node is in the cluster and its entry now holds the change (possibly unchanged, when it was already there).</summary>
    Applied,

    /// <summary>No node of this cluster has that job id; nothing changed. An HTTP layer answers 404.</summary>
    UnknownJob,
}
