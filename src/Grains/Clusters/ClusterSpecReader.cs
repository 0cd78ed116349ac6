using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Clusters;

/// <summary>
/// Reads an lkp-tests cluster file, already converted from YAML to JSON, into a <see cref="ClusterSpec"/>.
/// Every problem is reported under the path of the key that has it, so a user can fix the file in one go.
/// </summary>
/// <remarks>
/// Two layouts are in use. The current one (<c>cs-vm-2p16g</c>, <c>ceph-cluster</c>) has <c>ip0</c>,
/// <c>switch</c> and a <c>nodes</c> map. The older one (<c>cs-localhost</c>, <c>cs-lkp-hsw-ep5</c>) puts the
/// nodes at the top level. A document without <c>nodes</c> is read in the older layout, with every top-level key
/// other than <c>ip0</c> and <c>switch</c> taken as a host.
/// </remarks>
public static class ClusterSpecReader
{
    private const string NodesField = "nodes";
    private const string Ip0Field = "ip0";
    private const string SwitchField = "switch";

    /// <summary>Reads <paramref name="document"/>, the parsed cluster file (or a job's inline <c>cluster_spec</c>).</summary>
    public static ClusterSpecResult Read(JsonNode? document)
    {
        var errors = new FieldErrors();
        if (document is not JsonObject root)
        {
            errors.Add(NodesField, "the cluster spec must be a map with a nodes map, like {\"nodes\": {\"host--1\": {\"roles\": [\"server\"]}}}");
            return Failed(errors);
        }

        var switchName = ReadSwitch(root, errors);
        var ip0 = ReadIp0(root, errors);

        List<ClusterNode> nodes = [];
        bool topLevel;
        if (root.TryGetPropertyValue(NodesField, out var nodesNode))
        {
            topLevel = false;
            if (nodesNode is not JsonObject nodesMap || nodesMap.Count == 0)
            {
                errors.Add(NodesField, "must be a map from host name to {roles, macs} with at least one node");
            }
            else
            {
                ReadNodes(nodesMap, NodesField + ".", nodes, errors);
            }
        }
        else
        {
            topLevel = true;
            var hosts = root.Where(p => p.Key is not (Ip0Field or SwitchField)).ToList();
            if (hosts.Count == 0)
            {
                errors.Add(NodesField, "is required: a map from host name to {roles, macs} with at least one node");
            }
            else
            {
                ReadNodes(hosts, string.Empty, nodes, errors);
            }
        }

        if (errors.Count > 0)
        {
            return Failed(errors);
        }

        var spec = new ClusterSpec(switchName, ip0, nodes) { NodesAtTopLevel = topLevel };
        return new ClusterSpecResult(spec, errors.ToDictionary());
    }

    private static ClusterSpecResult Failed(FieldErrors errors) => new(null, errors.ToDictionary());

    private static string? ReadSwitch(JsonObject root, FieldErrors errors)
    {
        var node = root[SwitchField];
        switch (node?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return node.GetValue<string>();
            case JsonValueKind.Number:
                return node.ToJsonString();
            default:
                errors.Add(SwitchField, $"must be the switch's name, not {node.ToJsonString()}");
                return null;
        }
    }

    private static int ReadIp0(JsonObject root, FieldErrors errors)
    {
        var node = root[Ip0Field];
        if (node is null)
        {
            return ClusterSpec.DefaultIp0;
        }

        // A JSON number written with digits only: no sign, fraction or exponent.
        if (node.GetValueKind() == JsonValueKind.Number
            && node.ToJsonString() is { Length: > 0 and <= 3 } text
            && text.All(char.IsAsciiDigit)
            && int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) is >= 1 and <= ClusterSpec.MaxHostNumber and var ip0)
        {
            return ip0;
        }

        errors.Add(Ip0Field, $"{node.ToJsonString()} is not a host number; use a whole number from 1 to {ClusterSpec.MaxHostNumber} (the first direct IP is 192.168.222.<ip0>)");
        return ClusterSpec.DefaultIp0;
    }

    private static void ReadNodes(IEnumerable<KeyValuePair<string, JsonNode?>> hosts, string prefix, List<ClusterNode> nodes, FieldErrors errors)
    {
        foreach (var (host, value) in hosts)
        {
            var field = prefix + host;
            if (Hosts.MachineName.Error(host) is { } badName)
            {
                // Node names become testbox names; the field is the map's, as this key is not fit to show as one.
                errors.Add(prefix.Length > 0 ? prefix.TrimEnd('.') : NodesField, $"a node's name {badName}");
                continue;
            }

            if (value is not JsonObject nodeMap)
            {
                errors.Add(field, "must be a map with the node's roles (and optionally its macs), like {\"roles\": [\"server\"]}");
                continue;
            }

            var roles = ReadRoles(nodeMap["roles"], field + ".roles", errors);
            var macs = ReadMacs(nodeMap["macs"], field + ".macs", errors);
            if (roles is not null && macs is not null)
            {
                nodes.Add(new ClusterNode(host, roles, macs));
            }
        }
    }

    /// <summary>A non-empty list of one-word roles, or lkp's space-separated string of them.</summary>
    private static List<string>? ReadRoles(JsonNode? node, string field, FieldErrors errors)
    {
        const string Usage = "must be a non-empty list of role names, like [server] or [server, client]";
        List<string> roles = [];
        switch (node)
        {
            case null:
                errors.Add(field, "is required: " + Usage);
                return null;
            case JsonArray items:
                foreach (var item in items)
                {
                    if (item?.GetValueKind() != JsonValueKind.String)
                    {
                        errors.Add(field, $"{item?.ToJsonString() ?? "null"} is not a role name; " + Usage);
                        return null;
                    }

                    roles.Add(item.GetValue<string>());
                }

                break;
            case JsonValue when node.GetValueKind() == JsonValueKind.String:
                roles.AddRange(node.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries));
                break;
            default:
                errors.Add(field, Usage);
                return null;
        }

        // The roles travel space- or '+'-separated in node_roles and in lkp-cluster-sync, so each must be one word.
        if (roles.FirstOrDefault(r => r.Length == 0 || r.Any(c => char.IsWhiteSpace(c) || c == '+')) is { } bad)
        {
            errors.Add(field, $"\"{bad}\" is not a role name: a role is one word without spaces or '+'");
            return null;
        }

        if (roles.Count == 0)
        {
            errors.Add(field, Usage);
            return null;
        }

        return [.. roles.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A list of MACs, each one word; absent or null means none.</summary>
    private static List<string>? ReadMacs(JsonNode? node, string field, FieldErrors errors)
    {
        const string Usage = "must be a list of the MAC addresses of the node's direct-link NICs, like [\"44:67:47:d7:6d:14\"]";
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray items)
        {
            errors.Add(field, Usage);
            return null;
        }

        List<string> macs = [];
        foreach (var item in items)
        {
            if (item?.GetValueKind() != JsonValueKind.String || item.GetValue<string>() is not { Length: > 0 } mac || mac.Any(char.IsWhiteSpace))
            {
                errors.Add(field, $"{item?.ToJsonString() ?? "null"} is not a MAC address; " + Usage);
                return null;
            }

            macs.Add(mac);
        }

        return macs;
    }
}
