using System.Net;
using System.Text.RegularExpressions;

namespace CompassCi.Grains.Clusters;

/// <summary>
/// What a node reports about itself at <c>write_state</c>: its roles, its address, its direct links' MACs and IPs.
/// Each is checked before the barrier keeps it, because lkp reads them back as <c>roles_ip</c> lines that its shell
/// code splits and evaluates: a role with a newline, or an "address" of <c>$(reboot)</c>, would run on every node.
/// </summary>
public static partial class ClusterNodeFacts
{
    /// <summary>The longest text form of an address (IPv6 with an embedded IPv4).</summary>
    private const int MaxAddressLength = 45;

    /// <summary>The most items one list may hold; a node has a handful of roles and links.</summary>
    private const int MaxItems = 64;

    /// <summary>
    /// Problems with the reported facts, each under the name the client used (<paramref name="rolesField"/> is
    /// <c>roles</c> natively, <c>node_roles</c> in lkp's protocol); empty when all are fine. Absent facts are fine.
    /// </summary>
    public static Dictionary<string, string[]> Check(string rolesField, string? roles, string? ip, string? directMacs, string? directIps)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Each(errors, rolesField, roles, r => RoleWord().IsMatch(r), "a role is one word of letters, digits, '.', '_' or '-'");
        if (ip is not null && !IsAddress(ip))
        {
            errors["ip"] = [$"must be one IPv4 or IPv6 address, at most {MaxAddressLength} characters"];
        }

        Each(errors, "direct_macs", directMacs, m => Mac().IsMatch(m), "each MAC is six pairs of hex digits joined by ':'");
        Each(errors, "direct_ips", directIps, IsAddress, "each is an IPv4 or IPv6 address");
        return errors;
    }

    private static void Each(Dictionary<string, string[]> errors, string field, string? list, Func<string, bool> valid, string rule)
    {
        if (list is null)
        {
            return;
        }

        var items = list.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (items.Length > MaxItems || !items.All(valid) || list.Any(c => c != ' ' && char.IsWhiteSpace(c)))
        {
            errors[field] = [$"must be at most {MaxItems} items separated by spaces; {rule}"];
        }
    }

    private static bool IsAddress(string text) =>
        text.Length is > 0 and <= MaxAddressLength && AddressCharacters().IsMatch(text) && IPAddress.TryParse(text, out _)
        && (text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex RoleWord();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Mac();

    [GeneratedRegex("^[0-9A-Fa-f.:]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex AddressCharacters();
}
