using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Clusters;

/// <summary>
/// Turns one submitted multi-node job (<c>cluster: cs-vm-2p16g</c>, with <c>if role …:</c> sections) into one
/// job per node of its cluster spec, as compass-ci's cluster plugin does, so each node can be queued, consumed
/// and run like any other job and then meet the others at the lkp-cluster-sync barrier.
/// </summary>
public static class ClusterJobSplitter
{
    /// <summary>
    /// The cluster lkp-tests runs on a single machine. Its nodes are the submitting job's own testbox, and the
    /// client skips every lkp-cluster-sync call for it (<c>should_wait_cluster</c> in lib/job.sh), so it
    /// becomes one job that keeps the testbox it was submitted for (compass-ci returns such a job unsplit).
    /// </summary>
    public const string LocalClusterName = "cs-localhost";

    /// <summary>The roles of a job that names none: lkp-tests' submit sets <c>node_roles ||= 'server client'</c>.</summary>
    public const string DefaultNodeRoles = "server client";

    /// <summary>The /24 network of the direct links between nodes; node NICs get host numbers from <see cref="ClusterSpec.Ip0"/> up.</summary>
    public const string DirectNetwork = "192.168.222";

    /// <summary>Starts every key of a role section: <c>if role server:</c>.</summary>
    public const string RoleSectionPrefix = "if role ";

    /// <summary>
    /// Makes the node jobs of <paramref name="job"/> on <paramref name="spec"/>. Each node whose roles meet the
    /// job's <c>node_roles</c> gets a deep copy of the job where:
    /// <list type="bullet">
    /// <item><c>tbox_group</c> is the node name without a trailing <c>--&lt;digits&gt;</c> slot number, or, for a
    /// node named after one machine, <c>testbox</c> is that name (see <see cref="Pin"/>);</item>
    /// <item><c>node_roles</c> is the node's roles, <c>nr_nic</c> is 2, <c>cluster</c> is
    /// <paramref name="clusterName"/> and <c>cluster_node</c> the node's full name (the barrier's key for it);</item>
    /// <item>a node with MACs gets <c>direct_macs</c> and <c>direct_ips</c>, one <c>192.168.222.n</c> per MAC, n
    /// counting up from <c>ip0</c> over the nodes that get a job;</item>
    /// <item>each <c>if role &lt;r&gt;</c> section whose role the node has is lifted into the job where it stood,
    /// and every role section is removed.</item>
    /// </list>
    /// For <see cref="LocalClusterName"/> the result is one job for all matching nodes, placed where the job asked.
    /// Ids are not assigned here.
    /// </summary>
    public static ClusterJobSplitResult Split(JsonObject job, ClusterSpec spec, string clusterName)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(clusterName);

        var errors = new FieldErrors();
        var jobRoles = ReadJobRoles(job, errors);
        CheckRoleSections(job, errors);
        if (errors.Count > 0)
        {
            return Failed(errors);
        }

        var matching = spec.Nodes.Where(n => n.Roles.Any(jobRoles.Contains)).ToList();
        if (matching.Count == 0)
        {
            var offered = string.Join(", ", spec.Nodes.SelectMany(n => n.Roles).Distinct(StringComparer.Ordinal));
            errors.Add("node_roles", $"no node of cluster {clusterName} plays any of the roles \"{ClusterRoles.Join(jobRoles)}\"; its nodes play {offered}");
            return Failed(errors);
        }

        return clusterName == LocalClusterName
            ? new ClusterJobSplitResult([LocalJob(job, matching, clusterName)], errors.ToDictionary())
            : SplitAcrossNodes(job, spec, matching, clusterName);
    }

    /// <summary>The node name without its slot number: <c>vm-2p16g-multi-node--1</c> → <c>vm-2p16g-multi-node</c>.</summary>
    /// <remarks>
    /// Only a numeric suffix is a slot, as in compass-ci (<c>/(\S+)--[0-9]+$/</c>): <c>taishan200-…--a99</c> names
    /// one physical machine, whose MACs the spec lists, so its job must stay pinned to exactly that machine.
    /// </remarks>
    public static string TestboxOf(string nodeName)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        var dashes = nodeName.LastIndexOf("--", StringComparison.Ordinal);
        if (dashes <= 0 || dashes + 2 == nodeName.Length)
        {
            return nodeName;
        }

        return nodeName.AsSpan(dashes + 2).ContainsAnyExceptInRange('0', '9') ? nodeName : nodeName[..dashes];
    }

    /// <summary>
    /// The role a section key tests, or null when the key is no role section. lkp-tests turns
    /// <c>if role server:</c> into the shell test <c>if role server</c>, whose function reads only its first
    /// word, so that word is the role.
    /// </summary>
    public static string? SectionRole(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.StartsWith(RoleSectionPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        return key[RoleSectionPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
    }

    private static ClusterJobSplitResult Failed(FieldErrors errors) => new([], errors.ToDictionary());

    private static IReadOnlyList<string> ReadJobRoles(JsonObject job, FieldErrors errors)
    {
        IReadOnlyList<string> roles;
        switch (job["node_roles"])
        {
            case null:
                return ClusterRoles.Parse(DefaultNodeRoles);
            case JsonArray items when items.All(i => i?.GetValueKind() == JsonValueKind.String):
                roles = [.. items.SelectMany(i => ClusterRoles.Parse(i!.GetValue<string>())).Distinct(StringComparer.Ordinal)];
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                roles = ClusterRoles.Parse(value.GetValue<string>());
                break;
            default:
                errors.Add("node_roles", "must be the roles to run, space-separated, like \"server client\"");
                return [];
        }

        if (roles.Count == 0)
        {
            errors.Add("node_roles", "is empty; name the roles to run, like \"server client\", or leave it out for both");
        }

        return roles;
    }

    private static void CheckRoleSections(JsonObject job, FieldErrors errors)
    {
        foreach (var (key, value) in job)
        {
            if (SectionRole(key) is { } role && value is not (null or JsonObject))
            {
                errors.Add(key, $"must be a map of the programs and settings for nodes with role {role}, not {value.ToJsonString()}");
            }
        }
    }

    private static ClusterJobSplitResult SplitAcrossNodes(JsonObject job, ClusterSpec spec, List<ClusterNode> nodes, string clusterName)
    {
        var errors = new FieldErrors();
        List<JsonObject> jobs = [];
        var hostNumber = spec.Ip0;
        foreach (var node in nodes)
        {
            var nodeJob = WithRoleSections(job, node.Roles);
            Pin(nodeJob, node.Name);
            nodeJob["node_roles"] = ClusterRoles.Join(node.Roles);

            // Multi-node tests use a second NIC for the direct links (compass-ci sets this for every node).
            nodeJob["nr_nic"] = 2;
            nodeJob["cluster"] = clusterName;
            nodeJob["cluster_node"] = node.Name;

            if (node.Macs.Count > 0)
            {
                var last = hostNumber + node.Macs.Count - 1;
                if (last > ClusterSpec.MaxHostNumber)
                {
                    errors.Add(
                        spec.FieldOf(node, "macs"),
                        $"its {node.Macs.Count} MAC(s) would need direct IPs up to {DirectNetwork}.{last}, past .{ClusterSpec.MaxHostNumber}; lower ip0 ({spec.Ip0}) or list fewer macs");
                }

                nodeJob["direct_macs"] = string.Join(' ', node.Macs);
                nodeJob["direct_ips"] = string.Join(' ', Enumerable.Range(hostNumber, node.Macs.Count).Select(n => $"{DirectNetwork}.{n}"));
                hostNumber = last + 1;
            }

            jobs.Add(nodeJob);
        }

        return errors.Count > 0 ? Failed(errors) : new ClusterJobSplitResult(jobs, errors.ToDictionary());
    }

    /// <summary>
    /// Places a node job. compass-ci sets <c>testbox</c>, <c>tbox_group</c> and <c>queue</c> all to the node name
    /// without its slot number; here <c>testbox</c> and <c>queue</c> are requirement tags a testbox must offer, and a
    /// testbox offers only its own full name and the group that name implies. So a slot node
    /// (<c>vm-2p16g-multi-node--1</c>) asks for any testbox of its group, and a named machine asks for itself.
    /// </summary>
    private static void Pin(JsonObject nodeJob, string nodeName)
    {
        var group = TestboxOf(nodeName);
        nodeJob.Remove("queue");
        if (group != nodeName)
        {
            nodeJob.Remove("testbox");
            nodeJob["tbox_group"] = group;
        }
        else
        {
            nodeJob["testbox"] = nodeName;
            nodeJob["tbox_group"] = TboxGroup.FromTestbox(nodeName);
        }
    }

    private static JsonObject LocalJob(JsonObject job, List<ClusterNode> nodes, string clusterName)
    {
        var roles = nodes.SelectMany(n => n.Roles).Distinct(StringComparer.Ordinal).ToList();
        var local = WithRoleSections(job, roles);
        local["node_roles"] = ClusterRoles.Join(roles);
        local["cluster"] = clusterName;
        return local;
    }

    /// <summary>
    /// A deep copy of <paramref name="job"/> with the sections for <paramref name="roles"/> lifted to the top
    /// level at the place the section stood, and every role section gone. lkp-tests runs a section's programs
    /// only on nodes with its role; lifting them does the same here, where each job already is one node.
    /// </summary>
    /// <remarks>
    /// A lifted key that is already in the job keeps its place and takes the section's value: the section is the
    /// more specific setting for this node.
    /// </remarks>
    private static JsonObject WithRoleSections(JsonObject job, IReadOnlyList<string> roles)
    {
        var result = new JsonObject();
        var lifted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in job)
        {
            if (SectionRole(key) is not { } role)
            {
                if (!lifted.Contains(key))
                {
                    result[key] = value?.DeepClone();
                }
            }
            else if (value is JsonObject section && roles.Contains(role))
            {
                foreach (var (innerKey, innerValue) in section)
                {
                    result[innerKey] = innerValue?.DeepClone();
                    lifted.Add(innerKey);
                }
            }
        }

        return result;
    }
}
