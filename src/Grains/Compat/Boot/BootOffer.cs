using System.Globalization;
using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Compat.Boot;

/// <summary>
/// What a box that boots through compass-ci's routes offers the matcher, so that it decides exactly as for a native
/// consume: the box's name and the tbox_group it implies, the type its request or host states (else the one its group implies), the architecture its host registered, and memory —
/// the free memory the request states (<c>left_mem</c>, GiB), else what the host registered (<c>max_mem</c>).
/// </summary>
/// <param name="Tags">Offered tags (not yet normalised).</param>
/// <param name="MemoryMb">Offered memory in MiB; <see cref="long.MaxValue"/> when nothing says.</param>
/// <param name="Host">The registered host the box belongs to (its lifecycle's host), or null to derive it from the name.</param>
public sealed record BootOffer(IReadOnlyDictionary<string, string> Tags, long MemoryMb, string? Host)
{
    /// <summary>The offer of <paramref name="testbox"/>, given its host's live registration (if any) and the request's own words.</summary>
    public static BootOffer For(string testbox, HostRegistration? registration, string? tboxType, int? leftMemGb)
    {
        ArgumentNullException.ThrowIfNull(testbox);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["testbox"] = testbox,
            ["tbox_group"] = TboxGroup.FromTestbox(testbox),
        };

        // The type the request or the registration states, else the one the group implies — the rule that stamps a job
        // of that group at submit (TboxType), so a box and the jobs of its group agree.
        tags[TboxType.Field] = !string.IsNullOrEmpty(tboxType) ? tboxType
            : registration?.TboxType is { Length: > 0 } registered ? registered
            : TboxType.Of(tags["tbox_group"]);

        if (registration?.Arch is { Length: > 0 } arch)
        {
            tags["arch"] = arch;
        }

        var memoryGb = leftMemGb ?? registration?.MaxMemGb;
        return new BootOffer(tags, memoryGb is { } gb ? gb * 1024L : long.MaxValue, registration?.Hostname);
    }

    /// <summary>Reads a GiB count as compass-ci's providers send it (<c>left_mem=12</c>); null when absent, an error when not a count.</summary>
    public static (int? Gb, string? Error) ReadGb(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (null, null);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var gb) && gb <= 64 * 1024
            ? (gb, null)
            : (null, $"'{text}' is not a whole number of GiB from 0 to 65536");
    }
}
