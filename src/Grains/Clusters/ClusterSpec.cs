namespace CompassCi.Grains.Clusters;

/// <summary>
/// An lkp-tests cluster file (<c>cluster/cs-vm-2p16g</c>): which machines a multi-node job runs on, the roles
/// each plays, and the first host number of the direct-link network. Read with <see cref="ClusterSpecReader"/>.
/// </summary>
/// <param name="Switch">The switch the direct links go through (<c>switch: Switch-P12</c>); informational, null when absent.</param>
/// <param name="Ip0">The host number of the first direct IP (<c>192.168.222.&lt;ip0&gt;</c>), 1 to 254; 1 when the spec has none.</param>
/// <param name="Nodes">The nodes in document order, which is the order their jobs are made in (the first job's id is the cluster id).</param>
public sealed record ClusterSpec(string? Switch, int Ip0, IReadOnlyList<ClusterNode> Nodes)
{
    /// <summary>The host number used when the spec states no <c>ip0</c>, as compass-ci does.</summary>
    public const int DefaultIp0 = 1;

    /// <summary>The highest host number of the /24 direct-link network; .255 is its broadcast address.</summary>
    public const int MaxHostNumber = 254;

    /// <summary>
    /// True when the nodes sit at the top level of the file (<c>localhost: {roles: …}</c>, lkp-tests' older
    /// layout still used by <c>cs-localhost</c>) rather than under <c>nodes:</c>. It only changes how fields are
    /// named in errors, so a message points at the key the user actually wrote.
    /// </summary>
    public bool NodesAtTopLevel { get; init; }

    /// <summary>The path of <paramref name="key"/> of <paramref name="node"/> as the user wrote it: <c>nodes.h1.macs</c>, or <c>h1.macs</c> in the older layout.</summary>
    public string FieldOf(ClusterNode node, string key)
    {
        ArgumentNullException.ThrowIfNull(node);
        return NodesAtTopLevel ? $"{node.Name}.{key}" : $"nodes.{node.Name}.{key}";
    }
}
