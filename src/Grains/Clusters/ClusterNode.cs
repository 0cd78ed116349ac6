namespace CompassCi.Grains.Clusters;

/// <summary>One machine of a cluster spec and the roles it plays in a multi-node job.</summary>
/// <param name="Name">
/// The host as the spec names it, <c>--N</c> suffix included (<c>vm-2p16g-multi-node--1</c>). The suffix
/// tells two slots of one machine group apart; the barrier keeps the full name so each slot stays its own node.
/// </param>
/// <param name="Roles">The roles in spec order, each a single word (<c>server</c>, <c>client</c>, <c>cephnode1</c>).</param>
/// <param name="Macs">
/// The MACs of the NICs wired directly to the other nodes, empty when the spec lists none. Each one gets a
/// <c>192.168.222.x</c> address when the job is split, so the nodes can talk without the lab network.
/// </param>
public sealed record ClusterNode(string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Macs);
