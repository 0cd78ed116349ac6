using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// The physical host a testbox runs on. Host lifecycles are kept per host, not per testbox, because the VMs and
/// containers on one machine share its kernel, disks and memory: a job that breaks the machine breaks every
/// testbox on it, and the next job on any of them is the one that shows it.
/// </summary>
public static class HostName
{
    private const string VmPrefix = "vm-";
    private const string ContainerPrefix = "dc-";

    /// <summary>
    /// The host of <paramref name="testbox"/>: <paramref name="given"/> when the testbox states one, otherwise
    /// derived from the name the way compass-ci names VMs and containers,
    /// <c>&lt;tbox_group&gt;--&lt;host&gt;-&lt;slot&gt;</c> or <c>&lt;tbox_group&gt;.&lt;host&gt;-&lt;slot&gt;</c>:
    /// <c>vm-2p8g--h1-0</c> → <c>h1</c>,
    /// <c>vm-2p8g.taishan200-2280-2s48p-256g--a45-12</c> → <c>taishan200-2280-2s48p-256g--a45</c>,
    /// <c>dc-8g--hostx-3</c> → <c>hostx</c>, <c>vm-2p8g--h1</c> → <c>h1</c>.
    /// A physical machine (<c>taishan200-2280-2s48p-256g--a45</c>, <c>localhost</c>) is its own host, and so is a
    /// VM or container name with nothing after its group, since there is nothing to derive a host from.
    /// </summary>
    /// <param name="testbox">The testbox name.</param>
    /// <param name="given">The host the testbox reported, if any; blank counts as none. Trimmed when used.</param>
    public static string Of(string testbox, string? given)
    {
        ArgumentNullException.ThrowIfNull(testbox);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given.Trim();
        }

        var group = TboxGroup.FromTestbox(testbox);
        if (group.Length == testbox.Length || !IsVirtual(group))
        {
            return testbox;
        }

        var separator = testbox[group.Length] == '.' ? 1 : 2;
        var host = WithoutSlot(testbox[(group.Length + separator)..]);
        return host.Length == 0 ? testbox : host;
    }

    /// <summary>True for a VM (<c>vm-</c>) or docker container (<c>dc-</c>) group: those run on a host named after them.</summary>
    private static bool IsVirtual(string group) =>
        group.StartsWith(VmPrefix, StringComparison.Ordinal) || group.StartsWith(ContainerPrefix, StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="rest"/> without a trailing <c>-&lt;digits&gt;</c>, the slot number that tells apart the VMs
    /// of one host. Left as it is when it has none.
    /// </summary>
    private static string WithoutSlot(string rest)
    {
        var digits = rest.Length;
        while (digits > 0 && char.IsAsciiDigit(rest[digits - 1]))
        {
            digits--;
        }

        return digits < rest.Length && digits > 0 && rest[digits - 1] == '-' ? rest[..(digits - 1)] : rest;
    }
}
