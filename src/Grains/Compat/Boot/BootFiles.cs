using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Compat.Boot;

/// <summary>
/// The kernel, initrds and kernel parameters of a job, composed from the job and the configured prefixes as compass-ci
/// composes them (src/lib/job.cr: get_initrds, get_common_initrds, set_kernel_uri, set_kernel_params). compass-ci also
/// checks its <c>/srv</c> tree for per-program deps and pkgs cgz files; CompassCi serves no such tree, so a job names
/// them itself (<c>initrd_deps</c>, <c>initrd_pkgs</c>, arrays of URLs), as compass-ci stores them in the job.
/// </summary>
public static class BootFiles
{
    /// <summary>compass-ci's default kernel parameters for an initramfs boot; a job's own <c>kernel_params</c> replace them.</summary>
    public const string CommonKernelParams = "user=lkp job=/lkp/scheduled/job.yaml ip=dhcp";

    /// <summary><c>os/os_arch/os_version</c>: where the OS's files are under the OS and initrd servers.</summary>
    public static string OsDir(JsonObject job) => $"{Text(job, "os")}/{Arch(job)}/{Text(job, "os_version")}";

    /// <summary>How the OS is mounted: the job's <c>os_mount</c>, else <c>container</c> for a docker group, else <c>initramfs</c>.</summary>
    public static string OsMount(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (Text(job, "os_mount") is { Length: > 0 } given)
        {
            return given;
        }

        return Text(job, "tbox_group")?.StartsWith("dc", StringComparison.Ordinal) == true ? "container" : "initramfs";
    }

    /// <summary>The initrds a box loads before the job's own: the OS image, or its lkp initrd, then the job's deps and pkgs.</summary>
    public static List<string> Initrds(BootJob job, BootAddresses at)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(at);
        var doc = job.Document;
        var initrds = new List<string>();
        switch (OsMount(doc))
        {
            case "initramfs":
                initrds.Add($"{at.InitrdPrefix}/initrd/osimage/{OsDir(doc)}/current");
                initrds.Add($"{at.InitrdPrefix}/initrd/osimage/{OsDir(doc)}/run-ipconfig.cgz");
                initrds.AddRange(Texts(doc["initrd_deps"]));
                initrds.AddRange(Texts(doc["initrd_pkgs"]));
                break;
            case "nfs" or "cifs" or "local":
                initrds.Add($"{at.OsPrefix}/os/{OsDir(doc)}/initrd.lkp");
                break;
        }

        initrds.AddRange(CommonInitrds(job, at));
        return initrds;
    }

    /// <summary>
    /// The initrds every kind of box loads: the job's <c>job.cgz</c>, then the lkp-tests client the submitter packed
    /// (<c>pkg_data</c>: by tag and by md5 under <c>upload-files</c>), or when it packed none the lab's current one.
    /// </summary>
    public static List<string> CommonInitrds(BootJob job, BootAddresses at)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(at);
        var initrds = new List<string> { at.SchedUrl + job.JobCgzPath };
        if (job.Document["pkg_data"] is JsonObject packages && packages.Count > 0)
        {
            foreach (var (name, node) in packages)
            {
                if (node is not JsonObject package)
                {
                    continue;
                }

                var md5 = Text(package, "md5") ?? string.Empty;
                initrds.Add($"{at.InitrdPrefix}/upload-files/{name}/{Arch(job.Document)}/{Text(package, "tag")}.cgz");
                initrds.Add($"{at.InitrdPrefix}/upload-files/{name}/{md5[..Math.Min(2, md5.Length)]}/{md5}.cgz");
            }
        }
        else
        {
            initrds.Add($"{at.InitrdPrefix}/initrd/lkp/{Text(job.Document, "lkp_initrd_user") ?? "latest"}/lkp-{Arch(job.Document)}.cgz");
        }

        return initrds;
    }

    /// <summary>The kernel: the job's <c>kernel_uri</c>, else the OS's <c>vmlinuz</c> (of <c>kernel_version</c> when named).</summary>
    public static string KernelUri(JsonObject job, BootAddresses at)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(at);
        if (Text(job, "kernel_uri") is { Length: > 0 } given)
        {
            return given;
        }

        var version = Text(job, "kernel_version");
        return $"{at.OsPrefix}/os/{OsDir(job)}/boot/vmlinuz{(version is { Length: > 0 } ? "-" + version : string.Empty)}";
    }

    /// <summary>Kernel modules loaded second: the job's <c>modules_uri</c>, else those of its <c>kernel_version</c>, else none.</summary>
    public static List<string> ModulesUris(JsonObject job, BootAddresses at)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(at);
        if (job["modules_uri"] is { } given)
        {
            return Texts(given);
        }

        return Text(job, "kernel_version") is { Length: > 0 } version && OsMount(job) != "local"
            ? [$"{at.OsPrefix}/os/{OsDir(job)}/boot/modules-{version}.cgz"]
            : [];
    }

    /// <summary>The kernel parameters: the job's <c>kernel_params</c> (set at submit), else compass-ci's defaults for its mount.</summary>
    public static List<string> KernelParams(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job["kernel_params"] is { } given)
        {
            return [.. Texts(given).SelectMany(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        }

        var root = OsMount(job) switch
        {
            "initramfs" => "rdinit=/sbin/init prompt_ramdisk=0",
            _ => string.Empty,
        };
        var console = Arch(job) == "x86_64" ? "console=tty0 console=ttyS0,115200" : string.Empty;
        return [.. $"{CommonKernelParams} rootovl ro {Text(job, "kernel_custom_params")} {root} {console}".Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The job's architecture: <c>os_arch</c>, else <c>arch</c>.</summary>
    public static string? Arch(JsonObject job) => Text(job, "os_arch") ?? Text(job, "arch");

    /// <summary>A scalar field as text (numbers too); null when absent, null or not a scalar.</summary>
    public static string? Text(JsonObject job, string field) => job[field] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    /// <summary>A string or an array of strings as a list (null entries skipped).</summary>
    private static List<string> Texts(JsonNode? node) => node switch
    {
        JsonArray array => [.. array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())],
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };
}
