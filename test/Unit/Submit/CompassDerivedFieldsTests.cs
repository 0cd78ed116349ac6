using System.Text.Json.Nodes;
using CompassCi.Grains.Scheduling;
using CompassCi.Grains.Submit;
using Xunit;

namespace CompassCi.Tests.Unit.Submit;

public class CompassDerivedFieldsTests
{
    private static readonly DateOnly Day = new(2026, 5, 1);

    /// <summary>Reads the job's needs, stamps it as the submit does, and reads the needs again.</summary>
    private static (JsonObject Document, JobRequirements Before, JobRequirements After) Stamp(string json, string? osHttpHost = null)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        var before = JobRequirementsReader.Read(document).Requirements!;
        Assert.Empty(CompassDerivedFields.Stamp(document, before, Day, osHttpHost));
        var after = JobRequirementsReader.Read(document);
        Assert.Empty(after.Errors);
        return (document, before, after.Requirements!);
    }

    [Theory]
    [InlineData("vm-2p8g--x", "vm")]
    [InlineData("dc-8g.abc", "dc")]
    [InlineData("taishan200-2280-2s64p-256g--a1", "hw")]
    public void Tbox_type_comes_from_the_group_and_joins_the_queue_key(string testbox, string type)
    {
        var (document, before, after) = Stamp($$"""{"suite": "s", "my_account": "a", "testbox": "{{testbox}}"}""");
        Assert.Equal(type, document["tbox_type"]!.GetValue<string>());
        Assert.Equal(type, after.Tags["tbox_type"]);
        Assert.DoesNotContain("tbox_type", before.Tags.Keys);
        Assert.Equal(TboxType.Of(TboxGroup.FromTestbox(testbox)), type);
    }

    [Fact]
    public void A_type_the_client_names_stays()
    {
        var (document, before, after) = Stamp("""{"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g", "hw_type": "hw"}""");
        Assert.Null(document["tbox_type"]);
        Assert.Equal(before.QueueKey, after.QueueKey);
    }

    [Fact]
    public void Stamping_the_stored_document_again_keeps_its_queue_key()
    {
        var (document, _, after) = Stamp("""{"suite": "s", "my_account": "a", "testbox": "vm-2p8g--x", "arch": "aarch64", "memory": "8G", "os": "openeuler", "os_version": "20.03"}""");
        var stored = JsonNode.Parse(document.ToJsonString())!.AsObject();
        var reread = JobRequirementsReader.Read(stored).Requirements!;
        Assert.Equal(after.QueueKey, reread.QueueKey);
        Assert.Equal(after.MemoryMb, reread.MemoryMb);
        Assert.Empty(CompassDerivedFields.Stamp(stored, reread, Day, null));
        Assert.Equal(after.QueueKey, JobRequirementsReader.Read(stored).Requirements!.QueueKey);
    }

    [Fact]
    public void Os_fields_are_compass_cis()
    {
        var (document, _, _) = Stamp("""{"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g", "arch": "x86_64", "os": "openeuler", "os_version": "20.03"}""");
        Assert.Equal("x86_64", document["os_arch"]!.GetValue<string>());
        Assert.Equal("openeuler@20.03", document["osv"]!.GetValue<string>());
        Assert.Equal("openeuler-20.03-x86_64", document["rootfs"]!.GetValue<string>());
        Assert.Equal("initramfs", document["os_mount"]!.GetValue<string>());
        Assert.Equal("2026-05-01", document["submit_date"]!.GetValue<string>());
    }

    [Fact]
    public void No_arch_is_invented()
    {
        var (document, before, after) = Stamp("""{"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g", "os": "openeuler", "os_version": "20.03"}""");
        Assert.Null(document["os_arch"]);
        Assert.Null(after.Arch);
        Assert.Equal("openeuler-20.03", document["rootfs"]!.GetValue<string>());
        Assert.Equal(before.MemoryMb, after.MemoryMb);
        Assert.Null(document["memory_minimum"]);
    }

    [Theory]
    [InlineData("\"8G\"", "8")]
    [InlineData("16", "16")]
    [InlineData("\"32GiB\"", "32")]
    public void Memory_minimum_is_the_gib_digits_when_they_read_back_the_same(string memory, string expected)
    {
        var (document, before, after) = Stamp($$"""{"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g", "memory": {{memory}}}""");
        Assert.Equal(expected, document["memory_minimum"]!.GetValue<string>());
        Assert.Equal(before.MemoryMb, after.MemoryMb);
    }

    [Theory]
    [InlineData("\"512M\"")]
    [InlineData("\"1.5G\"")]
    [InlineData("\"2T\"")]
    public void Memory_minimum_is_not_written_when_its_digits_would_change_the_need(string memory)
    {
        var (document, before, after) = Stamp($$"""{"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g", "memory": {{memory}}}""");
        Assert.Null(document["memory_minimum"]);
        Assert.Equal(before.MemoryMb, after.MemoryMb);
    }

    [Fact]
    public void Hw_memory_counts_too()
    {
        var (document, _, _) = Stamp("""{"suite": "s", "my_account": "a", "tbox_group": "lab-z", "hw": {"memory": "256G"}}""");
        Assert.Equal("256", document["memory_minimum"]!.GetValue<string>());
    }

    [Fact]
    public void Kernel_params_are_compass_cis_list()
    {
        var (document, _, _) = Stamp("""
            {"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g", "arch": "x86_64",
             "boot_params": {"bp_trace_clock": "x86-tsc", "quiet": null}, "kernel_custom_params": "a=1  b=2"}
            """);
        var expected = new[]
        {
            "user=lkp", "job=/lkp/scheduled/job.yaml", "ip=dhcp", "rootovl", "ro", "trace_clock=x86-tsc", "quiet", "a=1", "b=2",
            "rdinit=/sbin/init", "prompt_ramdisk=0", "console=tty0", "console=ttyS0,115200",
        };
        Assert.Equal(expected, document["kernel_params"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public void Nfs_root_names_the_os_host()
    {
        var (document, _, _) = Stamp("""{"suite": "s", "my_account": "a", "tbox_group": "lab-z", "os_mount": "nfs", "os": "openeuler", "os_version": "20.03", "arch": "aarch64"}""", "10.0.0.5");
        Assert.Equal("root=10.0.0.5:/os/openeuler/aarch64/20.03", document["kernel_params"]!.AsArray().Last()!.GetValue<string>());
    }

    [Fact]
    public void A_container_job_mounts_a_container_and_boots_no_kernel()
    {
        var (document, _, _) = Stamp("""{"suite": "s", "my_account": "a", "testbox": "dc-8g--1", "os_mount": "nfs", "kernel_params": ["x"]}""");
        Assert.Equal("container", document["os_mount"]!.GetValue<string>());
        Assert.Null(document["kernel_params"]);
    }

    [Fact]
    public void An_unknown_os_mount_is_an_error_naming_it_and_nothing_is_written()
    {
        var document = JsonNode.Parse("""{"suite": "s", "my_account": "a", "tbox_group": "vm-2p8g", "os_mount": "floppy"}""")!.AsObject();
        var before = document.ToJsonString();
        var errors = CompassDerivedFields.Stamp(document, JobRequirementsReader.Read(document).Requirements!, Day, null);
        Assert.Contains("floppy", Assert.Single(errors["os_mount"]), StringComparison.Ordinal);
        Assert.Equal(before, document.ToJsonString());
    }
}
