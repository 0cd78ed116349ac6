using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>
/// compass-ci's boot routes on a real silo: a box known by its MAC or name, or a provider's slot over a WebSocket, gets
/// the job the native matcher picks, as the boot answer its client reads; host registrations expire without heart-beats.
/// </summary>
public sealed class BootTests(CompatSilo silo) : IClassFixture<CompatSilo>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private HttpClient Http => silo.Http;

    private async Task<string> PutTextAsync(string pathAndQuery)
    {
        using var response = await Http.PutAsync(pathAndQuery, null, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{pathAndQuery}: {(int)response.StatusCode} {text}");
        return text;
    }

    private async Task<string> SubmitAsync(JsonObject job) => (await silo.Client.SubmitAsync(job, Cancel))["id"]!.GetValue<string>();

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task A_machine_booting_by_mac_gets_its_job_as_an_ipxe_script_and_holds_it()
    {
        var group = Unique("bm");
        var host = group + "--m1";
        var mac = "52:54:00:" + string.Join(':', Guid.NewGuid().ToByteArray()[..3].Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("Done", await PutTextAsync($"/set_host_mac?hostname={host}&mac={mac}"));
        Assert.Equal(string.Empty, await PutTextAsync($"/register-host2redis?type=hw&arch=aarch64&max_mem=32&hostname={host}&is_remote=false"));
        var id = await SubmitAsync(new JsonObject
        {
            ["suite"] = "ebizzy", ["my_account"] = "lab", ["tbox_group"] = group, ["os"] = "openeuler", ["os_version"] = "22.03", ["os_arch"] = "aarch64", ["memory"] = "8G",
        });

        var script = await Http.GetStringAsync($"/boot.ipxe/mac/{mac.Replace(':', '-').ToLowerInvariant()}", Cancel);

        var lines = script.Split('\n');
        var job = await silo.Client.GetJobAsync(id);
        Assert.Equal("#!ipxe", lines[0]);
        var initrds = lines.Where(l => l.StartsWith("initrd ", StringComparison.Ordinal)).Select(l => l["initrd ".Length..]).ToList();
        Assert.Equal($"http://127.0.0.1:8800/initrd/osimage/openeuler/aarch64/22.03/current", initrds[0]);
        var jobCgz = Assert.Single(initrds, u => u.EndsWith("/job.cgz", StringComparison.Ordinal));
        Assert.StartsWith($"http://127.0.0.1:{silo.Port}/job_initrd_tmpfs/{id}/", jobCgz, StringComparison.Ordinal);
        var kernel = Assert.Single(lines, l => l.StartsWith("kernel ", StringComparison.Ordinal));
        Assert.StartsWith("kernel http://127.0.0.1:8000/os/openeuler/aarch64/22.03/boot/vmlinuz ", kernel, StringComparison.Ordinal);
        Assert.Contains(" user=lkp job=/lkp/scheduled/job.yaml ", kernel, StringComparison.Ordinal);
        Assert.Contains(" initrd=job.cgz", kernel, StringComparison.Ordinal);
        Assert.Contains($"echo ipxe will boot job id={id}, ip=${{ip}}, mac=${{mac}}", lines);
        Assert.Contains($"echo result_root={job!["result_root"]!.GetValue<string>()}", lines);
        Assert.EndsWith("\n\nboot\n", script, StringComparison.Ordinal);
        Assert.Equal("boot", job["job_stage"]!.GetValue<string>());
        Assert.Equal(host, job["testbox"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_no_job_the_box_is_told_so_and_to_chain_back_byte_for_byte()
    {
        var script = await Http.GetStringAsync($"/boot.ipxe/hostname/{Unique("idle")}--1", Cancel);

        Assert.Equal($"#!ipxe\n        echo ...\n        echo No job now\n        echo ...\n        chain http://127.0.0.1:{silo.Port}/boot.ipxe/mac/${{mac:hexhyp}}", script);
    }

    [Fact]
    public async Task A_waiting_box_gets_a_job_submitted_while_it_waits()
    {
        var group = Unique("bw");
        var waiting = Http.GetStringAsync($"/~lkp/cgi-bin/gpxelinux.cgi?hostname={group}--k1&mac=52-54-00-00-00-01&last_kernel=&lkp_wtmp", Cancel);
        var id = await SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "lab", ["tbox_group"] = group });

        var script = await waiting;

        Assert.Contains($"/job_initrd_tmpfs/{id}/", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_slot_gets_container_json_over_a_websocket_then_close_and_memory_decides()
    {
        var provider = Unique("dc-8g.prov");
        await PutTextAsync($"/register-host2redis?type=dc&arch=x86_64&max_mem=64&hostname={provider}&owner=local&is_remote=false");
        var id = await SubmitAsync(new JsonObject
        {
            ["suite"] = "s", ["my_account"] = "lab", ["tbox_group"] = "dc-8g", ["os_arch"] = "x86_64", ["memory"] = "8G", ["docker_image"] = "openeuler:22.03",
        });

        // Too little free memory: nothing for this slot.
        var (tooSmall, _) = await WebSocketBootAsync($"hostname={provider}-0&left_mem=4&tbox_type=dc&is_remote=false");
        // The provider heart-beats all along (its registration lives 4 s here).
        Assert.Equal("{\"status_code\":1000}", await Http.GetStringAsync($"/heart-beat?type=dc&hostname={provider}&is_remote=false", Cancel));
        var (answer, close) = await WebSocketBootAsync($"hostname={provider}-1&left_mem=12&tbox_type=dc&is_remote=false");

        Assert.Equal("{\"job_id\":\"0\"}", tooSmall);
        var container = JsonNode.Parse(answer)!.AsObject();
        Assert.Equal(id, container["job_id"]!.GetValue<string>());
        Assert.Equal("openeuler:22.03", container["docker_image"]!.GetValue<string>());
        Assert.Equal("8", container["memory_minimum"]!.GetValue<string>());
        var initrds = JsonNode.Parse(container["initrds"]!.GetValue<string>())!.AsArray();
        Assert.StartsWith($"http://127.0.0.1:{silo.Port}/job_initrd_tmpfs/{id}/", initrds[0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("{\"type\":\"close\"}", close);
        var job = await silo.Client.GetJobAsync(id);
        Assert.Equal($"{provider}-1", job!["testbox"]!.GetValue<string>());
        // The box's host is the provider that registered it.
        var boxes = JsonNode.Parse(await Http.GetStringAsync("/api/v1/testboxes", Cancel))!["testboxes"]!.AsArray();
        Assert.Equal(provider, boxes.Single(b => b!["testbox"]!.GetValue<string>() == $"{provider}-1")!["host"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_registration_lives_while_heart_beats_come_and_drops_out_when_they_stop()
    {
        var host = Unique("hb-host");
        await PutTextAsync($"/register-host2redis?type=vm&arch=aarch64&max_mem=16&hostname={host}&is_remote=false");

        Assert.Equal("{\"status_code\":1000}", await Http.GetStringAsync($"/heart-beat?type=vm&hostname={host}&is_remote=false", Cancel));
        var registration = JsonNode.Parse(await Http.GetStringAsync($"/api/v1/hosts/{host}", Cancel))!["registration"]!;
        Assert.Equal("vm", registration["tbox_type"]!.GetValue<string>());
        Assert.Equal(16, registration["max_mem_gb"]!.GetValue<int>());

        // No more heart-beats: within its TTL (4 s here) the host leaves the registry.
        await Eventually.HoldsAsync(async () => await IsGoneAsync(host), TimeSpan.FromSeconds(20));
        Assert.Equal("{\"status_code\":1001}", await Http.GetStringAsync($"/heart-beat?type=vm&hostname={host}&is_remote=false", Cancel));
        var hosts = JsonNode.Parse(await Http.GetStringAsync("/api/v1/hosts", Cancel))!["hosts"]!.AsArray();
        Assert.DoesNotContain(hosts, h => h!["host"]!.GetValue<string>() == host);
    }

    [Fact]
    public async Task Head_on_a_boot_route_takes_nothing_and_bad_words_name_their_field()
    {
        var group = Unique("bh");
        var id = await SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "lab", ["tbox_group"] = group });

        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/boot.ipxe/hostname/{group}--1"), Cancel);
        using var kind = await Http.GetAsync("/boot.pxe/hostname/x--1", Cancel);
        using var mac = await Http.GetAsync("/boot.ipxe/mac/zz-00", Cancel);
        using var type = await Http.PutAsync("/register-host2redis?type=xx&hostname=h1&max_mem=4", null, Cancel);
        using var memory = await Http.PutAsync("/register-host2redis?type=dc&hostname=h1&max_mem=lots", null, Cancel);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        Assert.Equal("submit", (await silo.Client.GetJobAsync(id))!["job_stage"]!.GetValue<string>());
        await ProblemAssert.IsAsync(kind, HttpStatusCode.NotFound, "kind", "kind");
        await ProblemAssert.IsAsync(mac, HttpStatusCode.BadRequest, "mac", "mac");
        await ProblemAssert.IsAsync(type, HttpStatusCode.BadRequest, "type", "type");
        await ProblemAssert.IsAsync(memory, HttpStatusCode.BadRequest, "max_mem", "max_mem");
    }

    private async Task<bool> IsGoneAsync(string host)
    {
        using var response = await Http.GetAsync($"/api/v1/hosts/{host}", Cancel);
        return response.StatusCode == HttpStatusCode.NotFound;
    }

    /// <summary>One provider request: the boot response and the last message.</summary>
    private async Task<(string Response, string Last)> WebSocketBootAsync(string query)
    {
        var messages = await ProviderSocket.BootAsync(silo.Port, query, Cancel);
        return (ProviderSocket.BootResponse(messages), messages[^1]);
    }
}
