namespace CompassCi.Grains.Clusters;

/// <summary>
/// The points every node of a cluster meets at, in the order lkp-tests reaches them: all nodes started and
/// wrote their addresses (<c>wait_start</c>), all daemons up (<c>wait_ready</c>), all tests done
/// (<c>finished</c>, <c>wait_finish</c>). The numbers order them; a node past a point counts as at it.
/// </summary>
public enum BarrierTarget
{
    /// <summary>Every node has booted and announced its roles and IPs.</summary>
    Start = 1,

    /// <summary>Every node has started its daemons and is ready for the tests.</summary>
    Ready = 2,

    /// <summary>Every node has finished its part.</summary>
    Finish = 3,
}
