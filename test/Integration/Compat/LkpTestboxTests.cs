using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>
/// The lkp-tests client's own sequence (reference §7), driven by its real shell code from <c>$LKP_TESTS</c> against a
/// real silo: a machine known by its MAC chains to <c>boot.ipxe</c> until a job comes, downloads the <c>job.cgz</c> its
/// script names, unpacks it and sources <c>job.sh</c> (whose <c>export_top_env</c> alone tells lkp where the scheduler
/// is and which job it runs), reports its states, uploads a result, and closes the job with <c>lkp-post-run</c> — every
/// answer checked as the client checks it. Then the same for both nodes of a cluster job, which meet at the barriers.
/// </summary>
public sealed class LkpTestboxTests(CompatSilo silo) : IClassFixture<CompatSilo>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>What lkp's sbin/submit sends as job2sh: arrays of shell lines, null entries included.</summary>
    private static JsonObject Job2Sh() => new()
    {
        ["run_job"] = new JsonArray("", null, "run_job()", "{", "\techo \"ran $suite as job $id\" > \"$TMP/ran\"", "}"),
        ["extract_stats"] = new JsonArray("extract_stats()", "{", "\t:", "}"),
    };

    /// <summary>
    /// The testbox's first steps as lkp runs them: unpack job.cgz, source job.sh, export_top_env; then RESULT_ROOT as
    /// lkp's job-init.sh sets it. Nothing about the scheduler or the job is in the environment before export_top_env.
    /// </summary>
    private const string Unpack = """
        cd "$TMP" && gzip -dc job.cgz | cpio -idm --quiet || exit 90
        . ./lkp/scheduled/job.sh || exit 91
        export_top_env || exit 92
        export RESULT_ROOT=$result_root JOB_RESULT_ROOT=$result_root
        [ -n "$id" ] && [ -n "$LKP_SERVER" ] && [ -n "$LKP_CGI_PORT" ] || exit 93

        """;

    /// <summary>lkp-post-run as lkp's http functions send it; the answer must be "success" with its quotes (sbin/return compares it).</summary>
    private const string PostRun = """
        answer=$(http_get_cgi "cgi-bin/lkp-post-run?job_file=$job&job_id=$id" - | tail -n +2)
        [ "$answer" = '"success"' ] || { echo "lkp-post-run answered [$answer]" >&2; exit 80; }

        """;

    [Fact]
    public async Task One_job_from_boot_ipxe_by_mac_to_lkp_post_run_with_the_real_client()
    {
        var group = "vm-lkp" + Guid.NewGuid().ToString("N")[..6];
        var testbox = group + "--t1";
        var mac = "52-54-00-" + string.Join('-', Guid.NewGuid().ToByteArray()[..3].Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        await PutAsync($"/set_host_mac?hostname={testbox}&mac={mac}");
        await PutAsync($"/register-host2redis?type=vm&arch=x86_64&max_mem=8&hostname={testbox}&is_remote=false");

        // The box asks (and asks again, as iPXE's chain does) while the job is submitted.
        var booting = BootByMacAsync(mac);
        var id = (await silo.Client.SubmitAsync(new JsonObject
        {
            ["suite"] = "ebizzy", ["my_account"] = "lab", ["tbox_group"] = group, ["os"] = "openeuler", ["os_version"] = "22.03", ["os_arch"] = "x86_64",
            ["memory"] = "4G", ["ebizzy"] = new JsonObject { ["duration"] = "10s" }, ["job2sh"] = Job2Sh(),
        }, Cancel))["id"]!.GetValue<string>();
        var script = await booting;

        Assert.Contains($"echo ipxe will boot job id={id}, ", script, StringComparison.Ordinal);
        var shell = await ShellWithJobCgzAsync(script, testbox);
        try
        {
            var run = await shell.RunAsync(Unpack + $$"""
                [ "$id" = "{{id}}" ] || exit 94
                set_tbox_wtmp network_up || exit 10
                set_tbox_wtmp running || exit 11
                set_job_state running || exit 12
                run_job || exit 13
                echo '{"ebizzy.throughput": [1200, 1300]}' > ebizzy.json
                upload_files ebizzy.json || exit 14
                set_job_state post_run || exit 15
                jobfile_append_var "loadavg=0.52 0.31 0.10 1/99 4242" "start_time=1700000000" "end_time=1700000300" || exit 16
                set_job_state finished || exit 17
                cat "$TMP/ran"

                """ + PostRun, cancellationToken: Cancel);

            Assert.True(run.Exit == 0, run.ToString());
            Assert.Contains($"ran ebizzy as job {id}", run.Stdout.Split('\n'));
            var job = (await silo.Client.GetJobAsync(id))!;
            Assert.Equal("finish", job["job_stage"]!.GetValue<string>());
            Assert.Equal("success", job["job_health"]!.GetValue<string>());
            Assert.Equal(testbox, job["testbox"]!.GetValue<string>());
            var resultRoot = job["result_root"]!.GetValue<string>();
            Assert.True(File.Exists(Path.Combine(silo.ResultsRoot, resultRoot.TrimStart('/'), "ebizzy.json")), "the uploaded result is in the job's result_root");
            var events = JsonNode.Parse(await silo.Http.GetStringAsync($"/api/v1/jobs/{id}/events", Cancel))!["events"]!.AsArray().Select(e => e!["event"]!.GetValue<string>()).ToList();
            Assert.Equal(["submitted", "leased"], events.Take(2));
            Assert.Contains("stage", events);
            Assert.Contains("finished", events);

            // The results pipeline extracts what lkp uploaded.
            Assert.True(await Eventually.HoldsAsync(async () => JsonNode.Parse(await silo.Http.GetStringAsync($"/api/v1/jobs/{id}/stats", Cancel))!["stats"]?["ebizzy.throughput"] is not null, TimeSpan.FromSeconds(30)));
            var stats = JsonNode.Parse(await silo.Http.GetStringAsync($"/api/v1/jobs/{id}/stats", Cancel))!;
            Assert.Equal(1250, stats["stats"]!["ebizzy.throughput"]!.GetValue<double>());
        }
        finally
        {
            shell.Delete();
        }
    }

    [Fact]
    public async Task Both_nodes_of_a_cluster_job_boot_meet_at_the_barriers_and_finish_with_the_real_client()
    {
        var group = "bay" + Guid.NewGuid().ToString("N")[..6];
        var spec = "cs-" + group;
        using (var put = await silo.Http.PutAsync($"/api/v1/cluster-specs/{spec}", new StringContent($"nodes:\n  {group}--1:\n    roles: [ server ]\n  {group}--2:\n    roles: [ client ]\n", System.Text.Encoding.UTF8, "application/yaml"), Cancel))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var server = BootByNameAsync($"{group}--1");
        var client = BootByNameAsync($"{group}--2");
        var clusterId = (await silo.Client.SubmitAsync(new JsonObject
        {
            ["suite"] = "netperf", ["my_account"] = "lab", ["cluster"] = spec, ["os"] = "openeuler", ["os_version"] = "22.03",
            ["if role server"] = new JsonObject { ["netserver"] = null },
            ["if role client"] = new JsonObject { ["netperf"] = new JsonObject { ["test"] = "TCP_RR" } },
            ["job2sh"] = Job2Sh(),
        }, Cancel))["id"]!.GetValue<string>();
        var shells = new[] { await ShellWithJobCgzAsync(await server, $"{group}--1"), await ShellWithJobCgzAsync(await client, $"{group}--2") };
        try
        {
            // What lkp's wait_other_nodes_start does, less the root-only steps (configuring NICs, writing /etc/hosts):
            // write_state, wait_start, roles_ip; then wait_ready; the client's test; finished; the server waits for the client.
            const string Meet = """
                sync_cluster_state 'write_state' "node_roles=$(echo "$node_roles" | tr -s ' ' '+')" "ip=127.0.0.1" "direct_macs=" "direct_ips=" >/dev/null || exit 20
                wait_cluster_state 'wait_start' || exit 21
                sync_cluster_state 'roles_ip' > roles_ip || exit 22
                wait_cluster_state 'wait_ready' || exit 23
                set_job_state running || exit 24
                [ "$node_roles" = client ] && { run_job || exit 25; }
                sync_cluster_state 'finished' >/dev/null
                [ "$node_roles" = server ] && { wait_clients_finish || exit 26; }
                set_job_state finished || exit 27
                echo "roles: $(tr '\n' ' ' < roles_ip)"

                """;
            var runs = await Task.WhenAll(shells.Select(s => s.RunAsync(Unpack + Meet + PostRun, TimeSpan.FromSeconds(120), Cancel)));

            Assert.All(runs, r => Assert.True(r.Exit == 0, r.ToString()));
            Assert.All(runs, r => Assert.Contains("server=127.0.0.1", r.Stdout, StringComparison.Ordinal));
            var cluster = JsonNode.Parse(await silo.Http.GetStringAsync($"/api/v1/clusters/{clusterId}", Cancel))!;
            Assert.Equal("finished", cluster["outcome"]!.GetValue<string>());
            foreach (var node in cluster["nodes"]!.AsArray())
            {
                var job = (await silo.Client.GetJobAsync(node!["job_id"]!.GetValue<string>()))!;
                Assert.Equal("finish", job["job_stage"]!.GetValue<string>());
                Assert.Equal("success", job["job_health"]!.GetValue<string>());
            }
        }
        finally
        {
            foreach (var shell in shells)
            {
                shell.Delete();
            }
        }
    }

    [Fact]
    public async Task The_docker_providers_flow_runs_one_job_then_the_next_and_a_silent_provider_drops_out()
    {
        var provider = "dc-8g.prov" + Guid.NewGuid().ToString("N")[..6];
        await PutAsync($"/register-host2redis?hostname={provider}&type=dc&owner=local&max_mem=32&is_remote=false&arch=x86_64");
        var ids = new List<string>();
        foreach (var n in (int[])[1, 2])
        {
            ids.Add((await silo.Client.SubmitAsync(new JsonObject
            {
                ["suite"] = "ebizzy", ["my_account"] = "lab", ["tbox_group"] = "dc-8g", ["os"] = "openeuler", ["os_version"] = "22.03", ["os_arch"] = "x86_64",
                ["memory"] = "8G", ["docker_image"] = "openeuler:22.03", ["job2sh"] = Job2Sh(), ["n"] = n,
            }, Cancel))["id"]!.GetValue<string>());
        }

        foreach (var id in ids)
        {
            // As providers/docker.rb: heart-beat (1000 while registered), then one WebSocket boot per slot.
            Assert.Equal("{\"status_code\":1000}", await silo.Http.GetStringAsync($"/heart-beat?hostname={provider}&type=dc&is_remote=false", Cancel));
            var answer = JsonNode.Parse(await WebSocketBootAsync($"hostname={provider}-0&left_mem=24&tbox_type=dc&is_remote=false"))!;
            Assert.Equal(id, answer["job_id"]!.GetValue<string>());
            Assert.Equal("openeuler:22.03", answer["docker_image"]!.GetValue<string>());

            // The container loads the initrds (job.cgz first) and runs lkp in them.
            var jobCgz = JsonNode.Parse(answer["initrds"]!.GetValue<string>())!.AsArray()[0]!.GetValue<string>();
            var shell = await ShellWithJobCgzAsync($"initrd {jobCgz}\n", $"{provider}-0");
            try
            {
                var run = await shell.RunAsync(Unpack + "set_job_state running || exit 12\nrun_job || exit 13\nset_job_state finished || exit 14\n" + PostRun, cancellationToken: Cancel);
                Assert.True(run.Exit == 0, run.ToString());
            }
            finally
            {
                shell.Delete();
            }

            var job = (await silo.Client.GetJobAsync(id))!;
            Assert.Equal("success", job["job_health"]!.GetValue<string>());
            Assert.Equal($"{provider}-0", job["testbox"]!.GetValue<string>());
        }

        // The provider stops heart-beating: its registration expires, and with it what its slots offered (arch=x86_64).
        var third = (await silo.Client.SubmitAsync(new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "lab", ["tbox_group"] = "dc-8g", ["os_arch"] = "x86_64", ["memory"] = "8G" }, Cancel))["id"]!.GetValue<string>();
        Assert.True(await Eventually.HoldsAsync(async () => !JsonNode.Parse(await silo.Http.GetStringAsync("/api/v1/hosts", Cancel))!["hosts"]!.AsArray().Any(h => h!["host"]!.GetValue<string>() == provider && h["registration"] is not null), TimeSpan.FromSeconds(20)));
        Assert.Equal("{\"job_id\":\"0\"}", await WebSocketBootAsync($"hostname={provider}-0&left_mem=24&tbox_type=dc&is_remote=false"));
        Assert.Equal("{\"status_code\":1001}", await silo.Http.GetStringAsync($"/heart-beat?hostname={provider}&type=dc&is_remote=false", Cancel));
        Assert.Equal("submit", (await silo.Client.GetJobAsync(third))!["job_stage"]!.GetValue<string>());
    }

    private async Task<string> WebSocketBootAsync(string query) => ProviderSocket.BootResponse(await ProviderSocket.BootAsync(silo.Port, query, Cancel));

    private async Task PutAsync(string pathAndQuery)
    {
        using var response = await silo.Http.PutAsync(pathAndQuery, null, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{pathAndQuery}: {(int)response.StatusCode}");
    }

    private Task<string> BootByMacAsync(string mac) => BootUntilJobAsync($"/boot.ipxe/mac/{mac}");

    private Task<string> BootByNameAsync(string hostname) => BootUntilJobAsync($"/boot.ipxe/hostname/{hostname}");

    /// <summary>Asks until the answer is a job (each ask waits up to the silo's boot wait, then says "No job now").</summary>
    private async Task<string> BootUntilJobAsync(string path)
    {
        for (var ask = 0; ask < 20; ask++)
        {
            var script = await silo.Http.GetStringAsync(path, Cancel);
            if (!script.Contains("No job now", StringComparison.Ordinal))
            {
                return script;
            }
        }

        throw new TimeoutException($"{path} never answered a job");
    }

    /// <summary>A shell for <paramref name="testbox"/> with the job.cgz the boot script names downloaded into its TMP, and no job or scheduler variables of its own.</summary>
    private async Task<LkpShell> ShellWithJobCgzAsync(string script, string testbox)
    {
        Fixtures.SystemTools.Require("cpio");
        var url = script.Split('\n').Where(l => l.StartsWith("initrd ", StringComparison.Ordinal)).Select(l => l["initrd ".Length..]).Single(u => u.EndsWith("/job.cgz", StringComparison.Ordinal));
        var shell = new LkpShell(silo.Silo.BaseAddress, string.Empty, testbox, new Dictionary<string, string>
        {
            ["id"] = string.Empty, ["LKP_SERVER"] = string.Empty, ["LKP_CGI_PORT"] = string.Empty, ["SCHED_HOST"] = string.Empty,
            ["SCHED_PORT"] = string.Empty, ["RESULT_WEBDAV_PORT"] = string.Empty, ["testbox"] = string.Empty,
        });
        await File.WriteAllBytesAsync(Path.Combine(shell.Work, "job.cgz"), await silo.Http.GetByteArrayAsync(url, Cancel), Cancel);
        return shell;
    }
}
