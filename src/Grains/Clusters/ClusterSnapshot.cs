namespace CompassCi.Grains.Clusters;

/// <summary>A cluster as it stands.</summary>
/// <param name="ClusterId">The first node's job id.</param>
/// <param name="Name">The cluster spec's name (<c>cs-vm-2p16g</c>), or <c>inline</c>.</param>
/// <param name="Outcome"><c>active</c>, <c>aborted</c> or <c>finished</c>.</param>
/// <param name="AbortReason">Why it aborted, in plain words; null unless aborted.</param>
/// <param name="StartDeadline">Unix ms by which every node must have started; null once all have.</param>
/// <param name="Nodes">Every node in cluster order.</param>
/// <param name="LastSeq">The sequence number of the latest change.</param>
[GenerateSerializer, Immutable]
public sealed record ClusterSnapshot(
    [property: Id(0)] string ClusterId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Outcome,
    [property: Id(3)] string? AbortReason,
    [property: Id(4)] long? StartDeadline,
    [property: Id(5)] IReadOnlyList<ClusterNodeSnapshot> Nodes,
    [property: Id(6)] int LastSeq);

/// <summary>One node: its job, name, roles and addresses, and how far it has come (<c>""</c>, start, ready, finish, abort).</summary>
[GenerateSerializer, Immutable]
public sealed record ClusterNodeSnapshot(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Node,
    [property: Id(2)] IReadOnlyList<string> Roles,
    [property: Id(3)] string? Ip,
    [property: Id(4)] string? DirectMacs,
    [property: Id(5)] string? DirectIps,
    [property: Id(6)] string State);
