namespace CompassCi.Grains.Clusters;

/// <summary>Where a cluster stands against one <see cref="BarrierTarget"/>.</summary>
public enum BarrierOutcome
{
    /// <summary>Some node has not reached the target yet; a waiting node keeps waiting (lkp's <c>retry</c>).</summary>
    Waiting,

    /// <summary>Every node is at or past the target; waiting nodes may go on.</summary>
    Reached,

    /// <summary>Some node aborted or failed; every waiting node gives up (lkp's <c>abort</c>), whatever the target.</summary>
    Abort,
}
