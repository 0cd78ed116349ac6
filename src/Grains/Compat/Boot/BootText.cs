using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Compat.Boot;

/// <summary>
/// The body of a boot answer, byte for byte as compass-ci writes it (src/scheduler/find_job_boot.cr): an iPXE or GRUB
/// script, or the JSON the docker provider, native runners and libvirt read — and the "no job" forms of each. lkp-tests
/// reuses the iPXE script as its kexec next-job file (<c>grep -i '^KERNEL '</c>, <c>^initrd http://.*/job.cgz</c>), which
/// is why <c>job.cgz</c> keeps its name at the end of the URL.
/// </summary>
public static class BootText
{
    /// <summary>JSON as Crystal's <c>to_json</c> writes it: no escaping of <c>+</c>, <c>&lt;</c>, <c>&amp;</c> or non-ASCII.</summary>
    private static readonly JsonSerializerOptions Crystal = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The answer of kind <paramref name="kind"/> for <paramref name="job"/>, or the "no job" answer when it is null.</summary>
    public static string Answer(string kind, BootJob? job, BootAddresses at)
    {
        ArgumentNullException.ThrowIfNull(at);
        return (kind, job) switch
        {
            (BootKind.Ipxe, { } j) => Ipxe(j, at),
            (BootKind.Grub, { } j) => Grub(j, at),
            (BootKind.Container, { } j) => Container(j, at),
            (BootKind.Native, { } j) => Native(j, at),
            (BootKind.Libvirt, { } j) => Libvirt(j, at),
            (BootKind.Ipxe or BootKind.Grub, null) => NoJob(kind, at),
            (BootKind.Libvirt, null) => "{\"job_id\":\"\"}",
            (BootKind.Container or BootKind.Native, null) => "{\"job_id\":\"0\"}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a boot kind"),
        };
    }

    /// <summary>compass-ci's <c>boot_msg</c>: say there is no job and chain back to the scheduler by MAC.</summary>
    public static string NoJob(string kind, BootAddresses at)
    {
        ArgumentNullException.ThrowIfNull(at);
        return $"#!{kind}\n        echo ...\n        echo No job now\n        echo ...\n        chain {at.SchedUrl}/boot.ipxe/mac/${{mac:hexhyp}}";
    }

    private static string Ipxe(BootJob job, BootAddresses at)
    {
        var doc = job.Document;
        var text = new StringBuilder("#!ipxe\n\n");
        foreach (var field in (string[])["nr_nic", "nr_disk", "disk_size"])
        {
            if (BootFiles.Text(doc, field) is { } value)
            {
                text.Append("# ").Append(field).Append('=').Append(value).Append('\n');
            }
        }

        var initrds = BootFiles.Initrds(job, at).Select(u => "initrd " + u).ToList();
        initrds.InsertRange(Math.Min(1, initrds.Count), BootFiles.ModulesUris(doc, at).Select(u => "initrd " + u));
        text.Append(string.Join('\n', initrds)).Append('\n');

        // compass-ci appends " initrd=<basename>" items to a list it joins with spaces: the double spaces are its own.
        var kernel = new List<string> { "kernel " + BootFiles.KernelUri(doc, at) };
        kernel.AddRange(BootFiles.KernelParams(doc));
        kernel.AddRange(initrds.Select(i => " initrd=" + Path.GetFileName(i["initrd ".Length..])));
        text.Append(string.Join(' ', kernel));
        if (doc["hw"] is JsonObject hw && BootFiles.Text(hw, "rootfs_disk") is { } disk)
        {
            text.Append(" rootfs_disk=").Append(disk.Replace('\n', '.'));
        }

        if (BootFiles.Text(doc, "crashkernel") is { } crash && !text.ToString().Contains("crashkernel=", StringComparison.Ordinal))
        {
            text.Append(" crashkernel=").Append(crash);
        }

        text.Append("\necho ipxe will boot job id=").Append(Id(job)).Append(", ip=${ip}, mac=${mac}");
        text.Append("\necho result_root=").Append(job.ResultRoot).Append('\n');
        text.Append("\nboot\n");
        return text.ToString();
    }

    private static string Grub(BootJob job, BootAddresses at)
    {
        var doc = job.Document;
        var os = Server(at.OsPrefix);
        var root = BootFiles.OsMount(doc) == "initramfs" ? "rdinit=/sbin/init prompt_ramdisk=0" : string.Empty;
        return "#!grub\n\n"
            + $"linux {os}/os/{BootFiles.OsDir(doc)}/vmlinuz user=lkp job=/lkp/scheduled/job.yaml RESULT_ROOT=/result/job rootovl ip=dhcp ro root={root}\n"
            + $"initrd {os}/os/{BootFiles.OsDir(doc)}/initrd.lkp {Server(at.InitrdPrefix)}/initrd/lkp/{BootFiles.Text(doc, "lkp_initrd_user") ?? "latest"}/lkp-{BootFiles.Arch(doc)}.cgz"
            + $" (http,{at.SchedHost}:{at.SchedPort.ToString(CultureInfo.InvariantCulture)}){job.JobCgzPath}\n"
            + "boot\n";
    }

    private static string Container(BootJob job, BootAddresses at)
    {
        var doc = job.Document;
        var answer = new JsonObject
        {
            ["job_id"] = Id(job),
            ["docker_image"] = BootFiles.Text(doc, "docker_image") ?? string.Empty,
            ["initrds"] = JsonSerializer.Serialize(BootFiles.CommonInitrds(job, at), Crystal),
            ["memory_minimum"] = BootFiles.Text(doc, "memory_minimum") ?? string.Empty,
        };
        if (doc["hw"] is JsonObject hw)
        {
            foreach (var field in (string[])["nr_cpu", "memory"])
            {
                if (BootFiles.Text(hw, field) is { } value)
                {
                    answer[field] = value;
                }
            }
        }

        return answer.ToJsonString(Crystal);
    }

    private static string Native(BootJob job, BootAddresses at) => new JsonObject
    {
        ["job_id"] = Id(job),
        ["initrds"] = JsonSerializer.Serialize(BootFiles.CommonInitrds(job, at), Crystal),
    }.ToJsonString(Crystal);

    private static string Libvirt(BootJob job, BootAddresses at)
    {
        var doc = job.Document;
        return new JsonObject
        {
            ["job_id"] = Id(job),
            ["kernel_uri"] = BootFiles.KernelUri(doc, at),
            ["initrds_uri"] = new JsonArray([.. BootFiles.Initrds(job, at).Select(u => (JsonNode)u)]),
            ["kernel_params"] = string.Join(' ', BootFiles.KernelParams(doc)),
            ["result_root"] = job.ResultRoot,
            ["LKP_SERVER"] = at.SchedHost,
            ["vt"] = doc["vt"] is JsonObject vt ? vt.DeepClone() : new JsonObject(),
            ["RESULT_WEBDAV_PORT"] = at.ResultWebdavPort.ToString(CultureInfo.InvariantCulture),
        }.ToJsonString(Crystal);
    }

    /// <summary>A URL prefix as GRUB names a server: <c>(http,host:port)</c> followed by the prefix's own path.</summary>
    private static string Server(string prefix)
    {
        if (!Uri.TryCreate(prefix, UriKind.Absolute, out var url))
        {
            return prefix;
        }

        return $"(http,{url.Host}:{url.Port.ToString(CultureInfo.InvariantCulture)}){url.AbsolutePath.TrimEnd('/')}";
    }

    private static string Id(BootJob job) => job.Id.ToString(CultureInfo.InvariantCulture);
}
