using System.Text.Json;
using System.Text.Json.Serialization;


namespace CompassCi.Grains.Clusters;

/// <summary>
/// Everything a cluster's barrier grain keeps, persisted as one JSON document in <c>cluster_barriers.state</c>:
/// the barrier, the cluster's outcome and deadline, and the numbered list of changes that watchers replay.
/// </summary>
public sealed class ClusterRecord
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The spec's name, or <c>inline</c> for a spec given with the job.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>One of <see cref="ClusterOutcomes"/>.</summary>
    public string Outcome { get; set; } = ClusterOutcomes.Active;

    /// <summary>Why the cluster aborted, in plain words.</summary>
    public string? AbortReason { get; set; }

    /// <summary>Unix ms by which every node must have reached start; null once they all have.</summary>
    public long? StartDeadline { get; set; }

    /// <summary>Every node's state and addresses.</summary>
    public ClusterBarrier Barrier { get; set; } = new();

    /// <summary>Every change so far, oldest first; a cluster has a handful of nodes and states, so this stays small.</summary>
    public List<ClusterChange> Changes { get; set; } = [];

    /// <summary>Appends a change with the next sequence number.</summary>
    public void Record(long time, string jobId, string node, string @event, string? detail = null) =>
        Changes.Add(new ClusterChange(Changes.Count + 1, time, jobId, node, @event, detail));

    /// <summary>Every node has reached start (or further).</summary>
    public bool AllStarted => Barrier.Nodes.TrueForAll(n => n.State != ClusterNodeStates.Abort && ClusterNodeStates.Rank(n.State) >= (int)BarrierTarget.Start);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ClusterRecord FromJson(string json) =>
        JsonSerializer.Deserialize<ClusterRecord>(json, Json) ?? throw new InvalidDataException("cluster state is null");

    /// <summary>A deep copy, changed and saved before it replaces the original, so a failed save leaves memory as the table is.</summary>
    public ClusterRecord Copy() => FromJson(ToJson());

    /// <summary>The cluster as clients see it.</summary>
    public ClusterSnapshot ToSnapshot(string clusterId) => new(
        clusterId,
        Name,
        Outcome,
        AbortReason,
        StartDeadline,
        [.. Barrier.Nodes.Select(n => new ClusterNodeSnapshot(n.JobId, n.Node, n.Roles, n.Ip, n.DirectMacs, n.DirectIps, n.State))],
        Changes.Count);
}
