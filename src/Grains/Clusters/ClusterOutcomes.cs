namespace CompassCi.Grains.Clusters;

/// <summary>Where a cluster as a whole stands.</summary>
public static class ClusterOutcomes
{
    /// <summary>Its nodes are pending, starting or running.</summary>
    public const string Active = "active";

    /// <summary>A node failed, crashed, timed out or was cancelled, or not every node started in time: every node is told to stop.</summary>
    public const string Aborted = "aborted";

    /// <summary>Every node job ended successfully.</summary>
    public const string Finished = "finished";
}
