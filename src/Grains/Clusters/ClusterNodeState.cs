namespace CompassCi.Grains.Clusters;

/// <summary>
/// One node's entry in a <see cref="ClusterBarrier"/>: what compass-ci keeps per job id in its cluster state.
/// A plain record of strings so it can be persisted as grain state and returned as JSON as it is.
/// </summary>
public sealed record ClusterNodeState
{
    /// <summary>The node's job id; the barrier's key for it.</summary>
    public required string JobId { get; init; }

    /// <summary>The node's name in the cluster spec, slot suffix included (<c>vm-2p16g-multi-node--2</c>).</summary>
    public string Node { get; init; } = string.Empty;

    /// <summary>The roles the node plays, from its job and then as its <c>write_state</c> reported them.</summary>
    public string[] Roles { get; init; } = [];

    /// <summary>The node's main IP as it reported it (<c>hostname -I</c>); null until it does.</summary>
    public string? Ip { get; init; }

    /// <summary>The MACs of the node's direct-link NICs, space-separated; null when it has none.</summary>
    public string? DirectMacs { get; init; }

    /// <summary>The node's direct-link IPs, space-separated, in the order of <see cref="DirectMacs"/>; null when it has none.</summary>
    public string? DirectIps { get; init; }

    /// <summary>One of <see cref="ClusterNodeStates"/>: how far the node has come.</summary>
    public string State { get; init; } = ClusterNodeStates.None;
}
