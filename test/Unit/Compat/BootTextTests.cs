using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.Boot;

namespace CompassCi.Tests.Unit.Compat;

/// <summary>Boot answers as compass-ci composes them, from a job and the configured prefixes.</summary>
public sealed class BootTextTests
{
    private static readonly BootAddresses At = new("10.0.0.5", 3000, "http://10.0.0.5:8000", "http://10.0.0.5:8800", 3080);

    private static BootJob Job(JsonObject document) => new(42, document, "/result/ebizzy/2026-12-01/vm-2p8g/openeuler-22.03-aarch64/42", "/job_initrd_tmpfs/42/tok/job.cgz");

    private static JsonObject Document() => new()
    {
        ["suite"] = "ebizzy", ["tbox_group"] = "vm-2p8g", ["os"] = "openeuler", ["os_version"] = "22.03", ["os_arch"] = "aarch64",
        ["kernel_params"] = new JsonArray("user=lkp", "job=/lkp/scheduled/job.yaml", "ip=dhcp", "rootovl", "ro", "rdinit=/sbin/init", "prompt_ramdisk=0"),
        ["pkg_data"] = new JsonObject { ["lkp-tests"] = new JsonObject { ["tag"] = "v3.0", ["md5"] = "ab12cd" } },
    };

    [Fact]
    public void An_ipxe_script_loads_each_initrd_names_it_on_the_kernel_line_and_boots()
    {
        var script = BootText.Answer(BootKind.Ipxe, Job(Document()), At);

        Assert.Equal(
            "#!ipxe\n\n" +
            "initrd http://10.0.0.5:8800/initrd/osimage/openeuler/aarch64/22.03/current\n" +
            "initrd http://10.0.0.5:8800/initrd/osimage/openeuler/aarch64/22.03/run-ipconfig.cgz\n" +
            "initrd http://10.0.0.5:3000/job_initrd_tmpfs/42/tok/job.cgz\n" +
            "initrd http://10.0.0.5:8800/upload-files/lkp-tests/aarch64/v3.0.cgz\n" +
            "initrd http://10.0.0.5:8800/upload-files/lkp-tests/ab/ab12cd.cgz\n" +
            "kernel http://10.0.0.5:8000/os/openeuler/aarch64/22.03/boot/vmlinuz user=lkp job=/lkp/scheduled/job.yaml ip=dhcp rootovl ro rdinit=/sbin/init prompt_ramdisk=0" +
            "  initrd=current  initrd=run-ipconfig.cgz  initrd=job.cgz  initrd=v3.0.cgz  initrd=ab12cd.cgz\n" +
            "echo ipxe will boot job id=42, ip=${ip}, mac=${mac}\n" +
            "echo result_root=/result/ebizzy/2026-12-01/vm-2p8g/openeuler-22.03-aarch64/42\n" +
            "\nboot\n",
            script);
    }

    [Fact]
    public void Modules_come_second_and_nic_counts_lead_the_script()
    {
        var document = Document();
        document["nr_nic"] = "2";
        document["kernel_version"] = "6.6.0";

        var lines = BootText.Answer(BootKind.Ipxe, Job(document), At).Split('\n');

        Assert.Equal("# nr_nic=2", lines[2]);
        Assert.Equal("initrd http://10.0.0.5:8000/os/openeuler/aarch64/22.03/boot/modules-6.6.0.cgz", lines[4]);
        Assert.StartsWith("kernel http://10.0.0.5:8000/os/openeuler/aarch64/22.03/boot/vmlinuz-6.6.0 ", lines.Single(l => l.StartsWith("kernel ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_answer_is_crystal_json_with_initrds_as_a_json_string()
    {
        var document = Document();
        document["tbox_group"] = "dc-8g";
        document["docker_image"] = "openeuler:22.03";
        document["memory_minimum"] = "8";
        document["hw"] = new JsonObject { ["nr_cpu"] = 4 };

        var answer = BootText.Answer(BootKind.Container, Job(document), At);

        Assert.Equal(
            "{\"job_id\":\"42\",\"docker_image\":\"openeuler:22.03\",\"initrds\":\"[\\\"http://10.0.0.5:3000/job_initrd_tmpfs/42/tok/job.cgz\\\",\\\"http://10.0.0.5:8800/upload-files/lkp-tests/aarch64/v3.0.cgz\\\",\\\"http://10.0.0.5:8800/upload-files/lkp-tests/ab/ab12cd.cgz\\\"]\",\"memory_minimum\":\"8\",\"nr_cpu\":\"4\"}",
            answer);
    }

    [Fact]
    public void A_libvirt_answer_names_kernel_initrds_params_and_where_results_go()
    {
        var answer = JsonNode.Parse(BootText.Answer(BootKind.Libvirt, Job(Document()), At))!;

        Assert.Equal("42", answer["job_id"]!.GetValue<string>());
        Assert.Equal("http://10.0.0.5:8000/os/openeuler/aarch64/22.03/boot/vmlinuz", answer["kernel_uri"]!.GetValue<string>());
        Assert.Equal(5, answer["initrds_uri"]!.AsArray().Count);
        Assert.StartsWith("user=lkp job=/lkp/scheduled/job.yaml", answer["kernel_params"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("10.0.0.5", answer["LKP_SERVER"]!.GetValue<string>());
        Assert.Equal("3080", answer["RESULT_WEBDAV_PORT"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(BootKind.Ipxe, "#!ipxe\n        echo ...\n        echo No job now\n        echo ...\n        chain http://10.0.0.5:3000/boot.ipxe/mac/${mac:hexhyp}")]
    [InlineData(BootKind.Grub, "#!grub\n        echo ...\n        echo No job now\n        echo ...\n        chain http://10.0.0.5:3000/boot.ipxe/mac/${mac:hexhyp}")]
    [InlineData(BootKind.Container, "{\"job_id\":\"0\"}")]
    [InlineData(BootKind.Native, "{\"job_id\":\"0\"}")]
    [InlineData(BootKind.Libvirt, "{\"job_id\":\"\"}")]
    public void With_no_job_each_kind_answers_as_compass_ci_does(string kind, string expected) =>
        Assert.Equal(expected, BootText.Answer(kind, null, At));

    [Fact]
    public void Without_pkg_data_the_labs_current_lkp_cgz_is_loaded_and_without_kernel_params_compass_cis_defaults_apply()
    {
        var document = new JsonObject { ["suite"] = "s", ["os"] = "debian", ["os_version"] = "12", ["os_arch"] = "x86_64" };

        var files = BootFiles.CommonInitrds(Job(document), At);

        Assert.Equal("http://10.0.0.5:8800/initrd/lkp/latest/lkp-x86_64.cgz", files[^1]);
        Assert.Equal(
            "user=lkp job=/lkp/scheduled/job.yaml ip=dhcp rootovl ro rdinit=/sbin/init prompt_ramdisk=0 console=tty0 console=ttyS0,115200",
            string.Join(' ', BootFiles.KernelParams(document)));
    }

    [Theory]
    [InlineData("52:54:00:AB:cd:01", "52-54-00-ab-cd-01")]
    [InlineData("52-54-00-ab-cd-01", "52-54-00-ab-cd-01")]
    public void Macs_are_keyed_as_ipxe_writes_them(string given, string normal) => Assert.Equal(normal, MacAddress.Normalize(given).Mac);

    [Theory]
    [InlineData("")]
    [InlineData("52-54-00-ab-cd")]
    [InlineData("52-54-00-ab-cd-zz")]
    public void A_non_mac_is_refused_with_a_reason(string given) => Assert.NotNull(MacAddress.Normalize(given).Error);

    [Theory]
    [InlineData("dc-8g.host7-3", "dc-8g.host7-3,dc-8g.host7")]
    [InlineData("taishan-a1001", "taishan-a1001")]
    [InlineData("vm-2p8g--h1-0", "vm-2p8g--h1-0,vm-2p8g--h1")]
    public void A_box_is_looked_up_as_itself_then_as_its_host_machine(string testbox, string candidates) =>
        Assert.Equal(candidates, string.Join(',', HostMachine.Candidates(testbox)));

    [Fact]
    public void A_box_offers_its_name_group_registered_type_and_arch_and_its_stated_free_memory()
    {
        var registration = new HostRegistration("dc-8g.host7", "dc", "aarch64", 64, "local", false, 0, 1);

        var offer = BootOffer.For("dc-8g.host7-3", registration, null, 12);

        Assert.Equal("arch=aarch64,tbox_group=dc-8g,tbox_type=dc,testbox=dc-8g.host7-3", string.Join(',', offer.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")));
        Assert.Equal(12 * 1024, offer.MemoryMb);
        Assert.Equal("dc-8g.host7", offer.Host);
        Assert.Equal(64 * 1024, BootOffer.For("dc-8g.host7-3", registration, null, null).MemoryMb);
        Assert.Equal(long.MaxValue, BootOffer.For("lone-box", null, null, null).MemoryMb);
    }
}
