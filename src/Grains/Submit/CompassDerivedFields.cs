using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompassCi.Grains.Results;
using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Submit;

/// <summary>
/// The fields compass-ci derives at submit (<c>src/lib/job.cr</c> <c>set_defaults</c>, <c>src/scheduler/kernel_params.cr</c>),
/// written into a job's document so that lkp-tests and compass-ci's tools find them: <c>os_arch</c>, <c>osv</c>,
/// <c>rootfs</c>, <c>os_mount</c>, <c>tbox_type</c>, <c>memory_minimum</c>, <c>submit_date</c>, <c>kernel_params</c>.
/// Some of them are requirements the matcher reads (<see cref="JobRequirementsReader"/>), so a derived value never
/// changes what the job needs: compass-ci's defaults (an <c>os_arch</c>, 16 GiB of memory) are not invented, and
/// <c>memory_minimum</c> is written only when it reads back as the need already read. <c>tbox_type</c> is a new
/// requirement, but one every testbox of the job's group offers (<see cref="TboxType"/>).
/// </summary>
public static partial class CompassDerivedFields
{
    /// <summary>compass-ci's <c>VALID_OS_MOUNTS</c>; the first is the default.</summary>
    public static readonly IReadOnlyList<string> OsMounts = ["initramfs", "nfs", "cifs", "container", "local"];

    /// <summary>
    /// Writes the derived fields into <paramref name="document"/>, whose requirements <paramref name="needs"/> were read
    /// from it. <paramref name="osHttpHost"/> is the host kernels and OS trees are served from (for nfs, cifs and local
    /// roots); null leaves those <c>root=</c> parameters out. Errors name the field at fault (an unknown <c>os_mount</c>);
    /// then nothing is written.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Stamp(JsonObject document, JobRequirements needs, DateOnly submitDate, string? osHttpHost)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(needs);
        var osMount = OsMount(document, needs.TboxGroup, out var osMountError);
        if (osMountError is not null)
        {
            return new Dictionary<string, string[]>(StringComparer.Ordinal) { ["os_mount"] = [osMountError] };
        }

        document["os_mount"] = osMount;
        if (Text(document, "arch") is { } arch)
        {
            document["os_arch"] = arch;
        }

        if (Text(document, "os") is { } os && Text(document, "os_version") is { } osVersion)
        {
            document["osv"] = $"{os}@{osVersion}";
        }

        if (ResultRoot.Rootfs(document) is { Length: > 0 } rootfs)
        {
            document["rootfs"] = rootfs;
        }

        // A type the client names (tbox_type, hw_type, tags.tbox_type) is its requirement and stays.
        if (!needs.Tags.ContainsKey(TboxType.Field) && needs.TboxGroup is { } group)
        {
            document[TboxType.Field] = TboxType.Of(group);
        }

        if (MemoryMinimum(document, needs.MemoryMb) is { } gibibytes)
        {
            document["memory_minimum"] = gibibytes;
        }

        document["submit_date"] = submitDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (osMount == "container")
        {
            // A container boots no kernel: compass-ci sets no kernel parameters for it.
            document.Remove("kernel_params");
        }
        else
        {
            document["kernel_params"] = new JsonArray([.. KernelParams(document, osMount, osHttpHost).Select(p => (JsonNode)p)]);
        }

        return new Dictionary<string, string[]>(StringComparer.Ordinal);
    }

    /// <summary><c>container</c> for a dc group (whatever was asked), the job's own when valid, else <c>initramfs</c>.</summary>
    private static string OsMount(JsonObject document, string? tboxGroup, out string? error)
    {
        error = null;
        if (tboxGroup is not null && tboxGroup.StartsWith("dc", StringComparison.Ordinal))
        {
            return "container";
        }

        if (document["os_mount"] is not { } node)
        {
            return OsMounts[0];
        }

        if (node.GetValueKind() == JsonValueKind.String && OsMounts.Contains(node.GetValue<string>()))
        {
            return node.GetValue<string>();
        }

        error = $"{node.ToJsonString()} is not an os_mount; use one of {string.Join(", ", OsMounts)}";
        return OsMounts[0];
    }

    /// <summary>
    /// compass-ci's <c>memory_minimum</c>: the first digits of <c>memory_minimum</c>, <c>memory</c> or <c>hw.memory</c>
    /// (read as GiB). Null when none is given, or when those digits as GiB are not the need the matcher read
    /// (<c>512M</c> would become 512 GiB; <c>1.5G</c>, 1 GiB): then the field is left as the client wrote it.
    /// </summary>
    private static string? MemoryMinimum(JsonObject document, long needMb)
    {
        JsonNode?[] candidates = [document["memory_minimum"], document["memory"], document["hw"] is JsonObject hw ? hw["memory"] : null];
        if (candidates.FirstOrDefault(c => c is not null) is not JsonValue given)
        {
            return null;
        }

        var text = given.GetValueKind() == JsonValueKind.String ? given.GetValue<string>() : given.ToJsonString();
        var digits = Digits().Match(text);
        return digits.Success && long.TryParse(digits.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var gib) && gib <= long.MaxValue / 1024 && gib * 1024 == needMb
            ? digits.Value
            : null;
    }

    /// <summary>compass-ci's <c>set_kernel_params</c>: common, boot_params, kernel_custom_params, the root, the console.</summary>
    private static List<string> KernelParams(JsonObject document, string osMount, string? osHttpHost)
    {
        var os = Text(document, "os") ?? "";
        var osArch = Text(document, "os_arch") ?? "";
        var osVersion = Text(document, "os_version") ?? "";
        var parts = new List<string> { "user=lkp job=/lkp/scheduled/job.yaml ip=dhcp" };
        if (osMount == "local")
        {
            var osInfo = $"{os}_{osArch}_{osVersion.Replace('-', '_')}";
            parts.Add($"local rw os_version={osVersion}");
            if (Text(document, "os_lv") is { } osLv)
            {
                parts.Add($"os_partition=/dev/mapper/os-{osInfo}_{osLv.Replace('-', '_')}");
            }

            if (Text(document, "src_lv_suffix") is { } src)
            {
                parts.Add($"use_root_partition=/dev/mapper/os-{osInfo}_{src}");
            }

            if (Text(document, "boot_lv_suffix") is { } boot)
            {
                parts.Add($"save_root_partition=/dev/mapper/os-{osInfo}_{boot}");
            }

            parts.Add($"os_lv_size={Text(document, "os_lv_size") ?? "20G"}");
        }
        else
        {
            parts.Add("rootovl ro");
        }

        if (document["boot_params"] is JsonObject bootParams)
        {
            foreach (var (key, value) in bootParams)
            {
                var name = BootParamPrefix().Replace(key, "");
                parts.Add(value is null || value.GetValueKind() == JsonValueKind.False ? key : $"{name}={Scalar(value)}");
            }
        }

        if (Text(document, "kernel_custom_params") is { } custom)
        {
            parts.Add(custom);
        }

        var osPath = $"/os/{os}/{osArch}/{osVersion}";
        parts.Add(osMount switch
        {
            "initramfs" => "rdinit=/sbin/init prompt_ramdisk=0",
            "nfs" or "local" when osHttpHost is not null => $"root={osHttpHost}:{osPath}",
            "cifs" when osHttpHost is not null => $"root=cifs://{osHttpHost}{osPath},guest,ro,hard,vers=1.0,noacl,nouser_xattr,noserverino",
            _ => "",
        });
        if (osArch == "x86_64")
        {
            parts.Add("console=tty0 console=ttyS0,115200");
        }

        return [.. parts.SelectMany(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }

    private static string? Text(JsonObject document, string field) =>
        document[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    private static string Scalar(JsonNode value) => value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();

    [GeneratedRegex(@"^bp\d*_", RegexOptions.CultureInvariant)]
    private static partial Regex BootParamPrefix();
}
