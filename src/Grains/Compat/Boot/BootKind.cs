namespace CompassCi.Grains.Compat.Boot;

/// <summary>
/// The kinds of boot answer compass-ci gives (<c>/boot.&lt;kind&gt;/…</c>, <c>/ws/boot.&lt;kind&gt;</c>): an iPXE or GRUB
/// script for machines and VMs, JSON for the docker provider (<c>container</c>), for native runners and for libvirt.
/// </summary>
public static class BootKind
{
    public const string Ipxe = "ipxe";
    public const string Grub = "grub";
    public const string Container = "container";
    public const string Native = "native";
    public const string Libvirt = "libvirt";

    /// <summary>Every kind, as the path names it.</summary>
    public static readonly IReadOnlyList<string> All = [Ipxe, Grub, Container, Native, Libvirt];

    /// <summary>Whether <paramref name="kind"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind, StringComparer.Ordinal);
}
