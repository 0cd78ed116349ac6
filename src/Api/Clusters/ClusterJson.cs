using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;

namespace CompassCi.Api.Clusters;

/// <summary>Clusters and their changes on the wire.</summary>
internal static class ClusterJson
{
    public static JsonObject Render(ClusterSnapshot cluster) => new()
    {
        ["cluster_id"] = cluster.ClusterId,
        ["name"] = cluster.Name,
        ["outcome"] = cluster.Outcome,
        ["abort_reason"] = cluster.AbortReason,
        ["start_deadline"] = cluster.StartDeadline is { } deadline ? JobJson.Time(deadline) : null,
        ["last_seq"] = cluster.LastSeq,
        ["nodes"] = new JsonArray([.. cluster.Nodes.Select(n => (JsonNode)new JsonObject
        {
            ["job_id"] = n.JobId,
            ["node"] = n.Node,
            ["roles"] = new JsonArray([.. n.Roles.Select(r => (JsonNode)r)]),
            ["ip"] = n.Ip,
            ["direct_macs"] = n.DirectMacs,
            ["direct_ips"] = n.DirectIps,
            ["state"] = n.State,
        })]),
    };

    public static JsonObject Render(ClusterChange change) => new()
    {
        ["seq"] = change.Seq,
        ["time"] = JobJson.Time(change.Time),
        ["job_id"] = change.JobId,
        ["node"] = change.Node,
        ["event"] = change.Event,
        ["detail"] = change.Detail,
    };
}
