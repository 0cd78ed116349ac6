using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Clusters;

/// <summary>
/// The lkp-cluster-sync barrier of one cluster: every node's state, roles and addresses, keyed by job id and kept
/// in cluster order (the order of the spec, which is the order <c>roles_ip</c> lists them in).
/// </summary>
/// <remarks>
/// <para>
/// This is plain data with rules, so a grain can persist it as its state and answer lkp's requests with it. The
/// only mutation is through its methods, which replace a node's <see cref="ClusterNodeState"/> record whole.
/// An unknown job id changes nothing and says so (<see cref="BarrierUpdate.UnknownJob"/>); it never throws.
/// </para>
/// <para>
/// compass-ci decides a barrier by exact state equality plus an <c>entire_state</c> latch written when a waiter
/// first sees it reached, so a slow poller is not stranded after a fast node has moved its state on. Here a node
/// at or past the target counts as at it (start &lt; ready &lt; finish) and a node's state never moves back,
/// which gives the same answer without the latch. An abort anywhere fails every barrier, and it is final.
/// </para>
/// </remarks>
public sealed class ClusterBarrier
{
    /// <summary>The cluster id: the job id of its first node.</summary>
    public string ClusterId { get; init; } = string.Empty;

    /// <summary>The nodes in cluster order. Change them through the methods below, not directly.</summary>
    public List<ClusterNodeState> Nodes { get; init; } = [];

    /// <summary>
    /// The barrier of the node jobs made by <see cref="ClusterJobSplitter.Split"/>, once they have ids: each node
    /// starts with its roles, direct MACs and direct IPs from its job and an empty state. The first id is the
    /// cluster id.
    /// </summary>
    public static ClusterBarrier Create(IEnumerable<(string JobId, JsonObject Job)> nodeJobs)
    {
        ArgumentNullException.ThrowIfNull(nodeJobs);
        List<ClusterNodeState> nodes = [];
        foreach (var (jobId, job) in nodeJobs)
        {
            ArgumentException.ThrowIfNullOrEmpty(jobId);
            ArgumentNullException.ThrowIfNull(job);
            if (nodes.Exists(n => n.JobId == jobId))
            {
                throw new ArgumentException($"job id {jobId} appears twice", nameof(nodeJobs));
            }

            nodes.Add(new ClusterNodeState
            {
                JobId = jobId,
                Node = Text(job, "cluster_node") ?? Text(job, "testbox") ?? string.Empty,
                Roles = [.. ClusterRoles.Parse(Text(job, "node_roles"))],
                DirectMacs = ClusterRoles.NormalizeList(Text(job, "direct_macs")),
                DirectIps = ClusterRoles.NormalizeList(Text(job, "direct_ips")),
            });
        }

        if (nodes.Count == 0)
        {
            throw new ArgumentException("a cluster has at least one node", nameof(nodeJobs));
        }

        return new ClusterBarrier { ClusterId = nodes[0].JobId, Nodes = nodes };
    }

    /// <summary>The barrier as a snapshot shows it, to answer <see cref="RolesIp"/> and <see cref="StateDocument"/> outside the grain.</summary>
    public static ClusterBarrier FromSnapshot(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new ClusterBarrier
        {
            ClusterId = snapshot.ClusterId,
            Nodes = [.. snapshot.Nodes.Select(n => new ClusterNodeState
            {
                JobId = n.JobId,
                Node = n.Node,
                Roles = [.. n.Roles],
                Ip = n.Ip,
                DirectMacs = n.DirectMacs,
                DirectIps = n.DirectIps,
                State = n.State,
            })],
        };
    }

    /// <summary>The entry of <paramref name="jobId"/>, or null when no node of this cluster has that id.</summary>
    public ClusterNodeState? Find(string jobId) => Nodes.Find(n => n.JobId == jobId);

    /// <summary>
    /// lkp's <c>write_state</c>: merges what the node reports about itself into its entry. A null or blank
    /// value leaves that item as it was (lkp sends <c>direct_macs=</c> when it has none). Lists may come
    /// <c>+</c>- or space-separated.
    /// </summary>
    public BarrierUpdate WriteState(string jobId, string? roles = null, string? ip = null, string? directMacs = null, string? directIps = null)
    {
        var parsedRoles = ClusterRoles.Parse(roles);
        var trimmedIp = string.IsNullOrWhiteSpace(ip) ? null : ip.Trim();
        return Update(jobId, node => node with
        {
            Roles = parsedRoles.Count > 0 ? [.. parsedRoles] : node.Roles,
            Ip = trimmedIp ?? node.Ip,
            DirectMacs = ClusterRoles.NormalizeList(directMacs) ?? node.DirectMacs,
            DirectIps = ClusterRoles.NormalizeList(directIps) ?? node.DirectIps,
        });
    }

    /// <summary>
    /// The node of <paramref name="jobId"/> has reached <paramref name="target"/> (lkp's <c>wait_start</c>,
    /// <c>wait_ready</c>, <c>wait_finish</c>, <c>finished</c>). A node already further on stays there, and an
    /// aborted node stays aborted, so a repeated or late request cannot undo progress or an abort.
    /// Follow it with <see cref="Evaluate"/> to learn whether the node may go on.
    /// </summary>
    public BarrierUpdate Reach(string jobId, BarrierTarget target) => Update(jobId, node =>
        node.State == ClusterNodeStates.Abort || ClusterNodeStates.Rank(node.State) >= (int)target
            ? node
            : node with { State = ClusterNodeStates.Of(target) });

    /// <summary>The node of <paramref name="jobId"/> aborted or failed (lkp's <c>abort</c> and <c>failed</c>); every barrier of the cluster now fails.</summary>
    public BarrierUpdate Abort(string jobId) => Update(jobId, node => node with { State = ClusterNodeStates.Abort });

    /// <summary>
    /// Where the whole cluster stands against <paramref name="target"/> (compass-ci's <c>entire_state</c>):
    /// <see cref="BarrierOutcome.Abort"/> when any node aborted, <see cref="BarrierOutcome.Reached"/> when every
    /// node is at or past the target, else <see cref="BarrierOutcome.Waiting"/>.
    /// </summary>
    public BarrierOutcome Evaluate(BarrierTarget target)
    {
        if (Nodes.Exists(n => n.State == ClusterNodeStates.Abort))
        {
            return BarrierOutcome.Abort;
        }

        return Nodes.TrueForAll(n => ClusterNodeStates.Rank(n.State) >= (int)target) ? BarrierOutcome.Reached : BarrierOutcome.Waiting;
    }

    /// <summary>
    /// lkp's <c>roles_ip</c> answer, one line each: for every node in cluster order and each of its roles,
    /// <c>direct_&lt;role&gt;_ips=&lt;ips&gt;</c> when it has direct IPs, then <c>&lt;role&gt;=&lt;ip&gt;</c>
    /// when it has reported its IP.
    /// </summary>
    /// <remarks>
    /// The client <c>export</c>s each line and appends <c>&lt;ip&gt; &lt;role&gt;</c> to /etc/hosts, so that
    /// tests reach the server by the name <c>server</c>. compass-ci writes one line per node with the node's roles
    /// as one string (<c>server client=10.0.0.1</c>), which is no shell name for a node with two roles, and a line
    /// with an empty value for a node that has not reported yet; one line per role and no empty lines fixes both
    /// and is the same for the usual one-role node.
    /// </remarks>
    public IReadOnlyList<string> RolesIp()
    {
        List<string> lines = [];
        foreach (var node in Nodes)
        {
            foreach (var role in node.Roles)
            {
                if (!string.IsNullOrEmpty(node.DirectIps))
                {
                    lines.Add($"direct_{role}_ips={node.DirectIps}");
                }

                if (!string.IsNullOrEmpty(node.Ip))
                {
                    lines.Add($"{role}={node.Ip}");
                }
            }
        }

        return lines;
    }

    /// <summary>
    /// The cluster state as compass-ci answers <c>write_state</c>, <c>abort</c> and <c>failed</c> with it:
    /// <c>{"&lt;job id&gt;": {"state", "roles", "ip", "direct_macs", "direct_ips"}, …}</c> in cluster order,
    /// roles space-separated and absent items left out. The lkp client does not read it; people debugging do.
    /// </summary>
    public JsonObject StateDocument()
    {
        var document = new JsonObject();
        foreach (var node in Nodes)
        {
            var entry = new JsonObject { ["state"] = node.State };
            if (node.Roles.Length > 0)
            {
                entry["roles"] = ClusterRoles.Join(node.Roles);
            }

            AddIfPresent(entry, "ip", node.Ip);
            AddIfPresent(entry, "direct_macs", node.DirectMacs);
            AddIfPresent(entry, "direct_ips", node.DirectIps);
            document[node.JobId] = entry;
        }

        return document;
    }

    private static void AddIfPresent(JsonObject entry, string key, string? value)
    {
        if (value is not null)
        {
            entry[key] = value;
        }
    }

    private static string? Text(JsonObject job, string key) =>
        job[key] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private BarrierUpdate Update(string jobId, Func<ClusterNodeState, ClusterNodeState> change)
    {
        var index = Nodes.FindIndex(n => n.JobId == jobId);
        if (index < 0)
        {
            return BarrierUpdate.UnknownJob;
        }

        Nodes[index] = change(Nodes[index]);
        return BarrierUpdate.Applied;
    }
}
