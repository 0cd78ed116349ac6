namespace CompassCi.Grains.Clusters;

/// <summary>One change of a cluster, numbered in the order it happened.</summary>
/// <param name="Seq">1 for the first change; gapless.</param>
/// <param name="Time">Unix milliseconds.</param>
/// <param name="JobId">The node the change is about; the cluster id for changes of the whole cluster.</param>
/// <param name="Node">The node's name; empty for the whole cluster.</param>
/// <param name="Event"><c>write_state</c>, <c>start</c>, <c>ready</c>, <c>finish</c>, <c>abort</c>, or for the cluster <c>aborted</c> / <c>finished</c>.</param>
/// <param name="Detail">Addresses written, or why it aborted.</param>
[GenerateSerializer, Immutable]
public sealed record ClusterChange(
    [property: Id(0)] int Seq,
    [property: Id(1)] long Time,
    [property: Id(2)] string JobId,
    [property: Id(3)] string Node,
    [property: Id(4)] string Event,
    [property: Id(5)] string? Detail);

/// <summary>Changes after a sequence number, and the cluster's outcome now (a watcher stops once it is not active and it has every change).</summary>
[GenerateSerializer, Immutable]
public sealed record ClusterChanges(
    [property: Id(0)] IReadOnlyList<ClusterChange> Changes,
    [property: Id(1)] string Outcome,
    [property: Id(2)] bool Unknown);
