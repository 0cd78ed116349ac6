namespace CompassCi.Grains.Clusters;

/// <summary>The answer to a node's call: lkp's bare word, and the cluster after the call.</summary>
/// <param name="Word"><c>start</c>, <c>ready</c>, <c>finish</c>, <c>abort</c> or <c>retry</c>; null for calls that only record.</param>
/// <param name="UnknownJob">No node of this cluster has the job id (or there is no such cluster).</param>
/// <param name="Cluster">The cluster after the call.</param>
[GenerateSerializer, Immutable]
public sealed record ClusterReply(
    [property: Id(0)] string? Word,
    [property: Id(1)] bool UnknownJob,
    [property: Id(2)] ClusterSnapshot? Cluster);
