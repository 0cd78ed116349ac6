using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Clusters;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>
/// A testbox's compass-ci cgi calls, made by the real lkp-tests shell functions (<see cref="LkpShell"/>) on a job taken
/// natively, and what each does to the one job lifecycle; the client's mistakes, made with plain requests.
/// </summary>
public sealed class LkpCgiTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A job submitted for a fresh tbox_group and taken by its testbox: now in stage boot.</summary>
    private async Task<(string Id, string Testbox)> BootedJobAsync()
    {
        var group = "vm-cgi-" + Guid.NewGuid().ToString("N")[..8];
        var testbox = group + "--1";
        var submitted = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "a", ["tbox_group"] = group, ["runtime"] = "300s" }, Token);
        var taken = await fixture.Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5, cancellationToken: Token);
        Assert.NotNull(taken);
        Assert.Equal(submitted["id"]!.GetValue<string>(), taken["id"]!.GetValue<string>());
        Assert.Equal("boot", taken["job_stage"]!.GetValue<string>());
        return (taken["id"]!.GetValue<string>(), testbox);
    }

    private LkpShell Shell(string id, string testbox, IReadOnlyDictionary<string, string>? extra = null) => new(fixture.Silo.BaseAddress, id, testbox, extra);

    private async Task<JsonObject> JobAsync(string id) => (await fixture.Client.GetJobAsync(id))!;

    private static async Task RunAsync(LkpShell shell, string script)
    {
        var result = await shell.RunAsync(script, cancellationToken: Token);
        Assert.True(result.Exit == 0, $"lkp script failed: {script}\n{result}");
    }

    private async Task<List<string>> EventNamesAsync(string id) =>
        [.. JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/jobs/{id}/events", Token))!["events"]!.AsArray().Select(e => e!["event"]!.GetValue<string>())];

    /// <summary>
    /// What the lifecycle and lkp's reports wrote on a job: its stage, health, times, reports and lifecycle events (the
    /// results pipeline that runs after an end adds its own, which are not these calls' doing).
    /// </summary>
    private async Task<string> LifecycleAsync(string id)
    {
        var job = await JobAsync(id);
        string[] fields = ["job_stage", "job_health", "finish_time", "deadline", "noted_health", "lkp_vars"];
        var events = (await EventNamesAsync(id)).Where(e => e is "stage" or "reported" or "finished" or "renewed");
        return string.Join("|", fields.Select(f => job[f]?.ToJsonString() ?? "null")) + "|" + string.Join(",", events);
    }

    private static DateTimeOffset ParseCompassTime(string text)
    {
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$", text);
        return DateTimeOffset.ParseExact(text.Insert(text.Length - 2, ":"), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Seconds(JsonNode? iso) =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.Parse(iso!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeSeconds());

    [Fact]
    public async Task Lkp_shell_functions_run_a_job_from_boot_to_finish_and_the_noted_health_ends_it_at_lkp_post_run()
    {
        var (id, testbox) = await BootedJobAsync();
        var shell = Shell(id, testbox);
        try
        {
            await RunAsync(shell, "set_tbox_wtmp running || exit 11\nset_job_state running || exit 12");
            var running = await JobAsync(id);
            Assert.Equal("running", running["job_stage"]!.GetValue<string>());
            Assert.Equal("running", running["lkp_vars"]!["job_state"]!.GetValue<string>());

            // lkp-wtmp put the box's state into the registry: the list and get_testbox show it.
            var listed = JsonNode.Parse(await fixture.Http.GetStringAsync("/api/v1/testboxes", Token))!["testboxes"]!.AsArray().Single(t => t!["testbox"]!.GetValue<string>() == testbox)!;
            Assert.Equal("running", listed["wtmp_state"]!.GetValue<string>());
            Assert.NotNull(listed["wtmp_time"]);
            var box = JsonNode.Parse(await fixture.Http.GetStringAsync($"/get_testbox?testbox={testbox}", Token))!;
            Assert.Equal("running", box["wtmp_state"]!.GetValue<string>());
            Assert.Equal(id, box["job_id"]!.GetValue<string>());

            await RunAsync(shell, """
                set_job_state post_run || exit 21
                jobfile_append_var "loadavg=0.52 0.31 0.10 1/99 4242" "start_time=1700000000" "end_time=1700000300" "" || exit 22
                http_get_cgi "cgi-bin/report-job-step?job_step=smoke_basic_os&job_id=$id" || exit 23
                report_ssh_port 2222 || exit 24
                set_job_state finished || exit 25
                """);
            var noted = await JobAsync(id);
            Assert.Equal("post_run", noted["job_stage"]!.GetValue<string>());
            Assert.Null(noted["job_health"]);
            Assert.Equal("success", noted["noted_health"]!.GetValue<string>());
            var vars = noted["lkp_vars"]!;
            Assert.Equal("finished", vars["job_state"]!.GetValue<string>());
            Assert.Equal("0.52 0.31 0.10 1/99 4242", vars["loadavg"]!.GetValue<string>());
            Assert.Equal(1_700_000_000, vars["start_time"]!.GetValue<long>());
            Assert.Equal(1_700_000_300, vars["end_time"]!.GetValue<long>());
            Assert.Equal("smoke_basic_os", vars["job_step"]!.GetValue<string>());
            Assert.Equal("2222", vars["ssh_port"]!.GetValue<string>());

            // renew_deadline answers compass-ci's time text of the job's new deadline; get_deadline reads the same one.
            using var renew = await fixture.Http.GetAsync($"/renew_deadline?job_id={id}&time=3600", Token);
            var renewed = await renew.Content.ReadAsStringAsync(Token);
            Assert.True(renew.StatusCode == HttpStatusCode.OK, renewed);
            var deadline = Seconds((await JobAsync(id))["deadline"]);
            Assert.Equal(deadline, ParseCompassTime(renewed));
            Assert.Equal(renewed, await fixture.Http.GetStringAsync($"/get_deadline?testbox={testbox}", Token));
            Assert.Contains("renewed", await EventNamesAsync(id));

            // trigger_post_process's own status is that of its last step (an IPMI reset, skipped here); curl -sSf reports a
            // failed request on stderr.
            var post = await shell.RunAsync("trigger_post_process", cancellationToken: Token);
            Assert.DoesNotContain("curl:", post.Stderr, StringComparison.Ordinal);
            var ended = await JobAsync(id);
            Assert.Equal("finish", ended["job_stage"]!.GetValue<string>());
            Assert.Equal("success", ended["job_health"]!.GetValue<string>());
            Assert.Equal("no deadline", await fixture.Http.GetStringAsync($"/get_deadline?testbox={testbox}", Token));
            var events = await EventNamesAsync(id);
            Assert.Equal(["submitted", "leased", "stage", "reported"], events.Take(4));
            Assert.Equal("finished", events[^1]);
        }
        finally
        {
            shell.Delete();
        }
    }

    [Fact]
    public async Task A_failed_word_then_lkp_post_run_ends_the_job_failed_and_the_answer_is_success_in_quotes_byte_for_byte()
    {
        var (id, testbox) = await BootedJobAsync();
        var shell = Shell(id, testbox);
        try
        {
            await RunAsync(shell, "set_job_state running && set_job_state post_run && set_job_state failed && set_job_stage on_fail 7200 || exit 1");
            var failed = await JobAsync(id);
            Assert.Equal("post_run", failed["job_stage"]!.GetValue<string>());
            Assert.Equal("failed", failed["noted_health"]!.GetValue<string>());
            Assert.Equal("on_fail", failed["lkp_vars"]!["reported_stage"]!.GetValue<string>());
            Assert.True(Seconds(failed["deadline"]) >= DateTimeOffset.UtcNow.AddSeconds(7200 - 60), $"on_fail's timeout extends the deadline: {failed["deadline"]}");

            using var response = await fixture.Http.GetAsync($"/~lkp/cgi-bin/lkp-post-run?job_file=%2Flkp%2Fscheduled%2Fjob.yaml&job_id={id}", Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("\"success\""u8.ToArray(), await response.Content.ReadAsByteArrayAsync(Token));
            var ended = await JobAsync(id);
            Assert.Equal("finish", ended["job_stage"]!.GetValue<string>());
            Assert.Equal("failed", ended["job_health"]!.GetValue<string>());
        }
        finally
        {
            shell.Delete();
        }
    }

    [Fact]
    public async Task Returning_the_testbox_ends_the_job_with_health_return_and_the_client_reads_success()
    {
        var (id, testbox) = await BootedJobAsync();
        var shell = Shell(id, testbox);
        try
        {
            // set_job_state is lkp's; the close is what lkp's sbin/return sends and compares (it is interactive, so not run).
            var result = await shell.RunAsync("""
                set_job_state running || exit 1
                response=$(curl -s "http://${LKP_SERVER}:${LKP_CGI_PORT}/~lkp/cgi-bin/lkp-post-run?job_id=${id}&job_health=return")
                [ "$response" = '"success"' ] || { echo "answered: $response"; exit 2; }
                """, cancellationToken: Token);
            Assert.True(result.Exit == 0, result.ToString());
            var ended = await JobAsync(id);
            Assert.Equal("finish", ended["job_stage"]!.GetValue<string>());
            Assert.Equal("return", ended["job_health"]!.GetValue<string>());
        }
        finally
        {
            shell.Delete();
        }
    }

    [Fact]
    public async Task Cluster_sync_started_from_lkp_records_the_node_as_start()
    {
        var nodes = await ClusterBarrierTests.RunningClusterAsync(fixture.Client, 1);
        var server = nodes[0];
        var shell = Shell(server.JobId, "server-node", new Dictionary<string, string> { ["cluster"] = "inline", ["node_roles"] = "server" });
        try
        {
            var result = await shell.RunAsync("sync_cluster_state started; exit ${PIPESTATUS[0]}", cancellationToken: Token);
            Assert.True(result.Exit == 0, result.ToString());
            var cluster = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/clusters/{server.JobId}", Token))!;
            var states = cluster["nodes"]!.AsArray().ToDictionary(n => n!["job_id"]!.GetValue<string>(), n => n!["state"]?.GetValue<string>());
            Assert.Equal("start", states[server.JobId]);
            Assert.NotEqual("start", states[nodes[1].JobId]);
        }
        finally
        {
            shell.Delete();
        }
    }

    [Fact]
    public async Task A_real_lkp_call_on_an_ended_job_fails_at_the_client_and_changes_nothing()
    {
        var (id, testbox) = await BootedJobAsync();
        var shell = Shell(id, testbox);
        try
        {
            await RunAsync(shell, "set_job_state running || exit 1\ntrigger_post_process\nexit 0");
            Assert.Equal("finish", (await JobAsync(id))["job_stage"]!.GetValue<string>());
            var before = await LifecycleAsync(id);
            var result = await shell.RunAsync("set_job_state post_run", cancellationToken: Token);
            Assert.NotEqual(0, result.Exit);
            Assert.Contains("409", result.Stderr, StringComparison.Ordinal);
            Assert.Equal(before, await LifecycleAsync(id));
        }
        finally
        {
            shell.Delete();
        }
    }

    [Fact]
    public async Task Client_mistakes_are_4xx_naming_the_field_and_change_nothing()
    {
        var (id, testbox) = await BootedJobAsync();
        var http = fixture.Http;
        async Task Expect(string url, HttpStatusCode status, string field)
        {
            using var response = await http.GetAsync(url, Token);
            await ProblemAssert.IsAsync(response, status, field, url);
        }

        await Expect("/~lkp/cgi-bin/lkp-jobfile-append-var?job_file=x&job_state=running", HttpStatusCode.BadRequest, "job_id");
        await Expect("/~lkp/cgi-bin/lkp-jobfile-append-var?job_id=abc&job_state=running", HttpStatusCode.BadRequest, "job_id");
        await Expect("/~lkp/cgi-bin/lkp-jobfile-append-var?job_id=999999999999&job_state=running", HttpStatusCode.NotFound, "job_id");
        await Expect($"/~lkp/cgi-bin/lkp-jobfile-append-var?job_id={id}&job_state=exploded", HttpStatusCode.BadRequest, "job_state");
        await Expect($"/~lkp/cgi-bin/lkp-jobfile-append-var?job_id={id}&job_state=boot", HttpStatusCode.BadRequest, "job_state");
        await Expect($"/~lkp/cgi-bin/lkp-jobfile-append-var?job_id={id}&start_time=yesterday", HttpStatusCode.BadRequest, "start_time");
        await Expect($"/~lkp/cgi-bin/lkp-jobfile-append-var?job_id={id}&job_state=post_run", HttpStatusCode.Conflict, "job_state");
        await Expect($"/~lkp/cgi-bin/set-job-stage?job_id={id}&job_stage=finish", HttpStatusCode.BadRequest, "job_stage");
        await Expect($"/~lkp/cgi-bin/report_ssh_port?job_id={id}&ssh_port=70000", HttpStatusCode.BadRequest, "ssh_port");
        await Expect($"/~lkp/cgi-bin/lkp-post-run?job_id={id}&job_health=splendid", HttpStatusCode.BadRequest, "job_health");
        await Expect("/~lkp/cgi-bin/lkp-post-run", HttpStatusCode.BadRequest, "job_id");
        await Expect("/~lkp/cgi-bin/lkp-wtmp?tbox_state=running", HttpStatusCode.BadRequest, "tbox_name");
        await Expect($"/~lkp/cgi-bin/lkp-wtmp?tbox_name={testbox}&tbox_state=", HttpStatusCode.BadRequest, "tbox_state");
        await Expect($"/renew_deadline?job_id={id}&time=soon", HttpStatusCode.BadRequest, "time");
        await Expect($"/renew_deadline?job_id={id}&time=60", HttpStatusCode.Conflict, "job_id");
        await Expect("/renew_deadline?job_id=999999999999&time=60", HttpStatusCode.NotFound, "job_id");
        await Expect("/get_deadline", HttpStatusCode.BadRequest, "testbox");
        await Expect("/get_testbox?testbox=never-seen-" + Guid.NewGuid().ToString("N")[..6], HttpStatusCode.NotFound, "testbox");
        var untouched = await JobAsync(id);
        Assert.Equal("boot", untouched["job_stage"]!.GetValue<string>());
        Assert.Empty(untouched["lkp_vars"]!.AsObject());
        Assert.Equal(["submitted", "leased"], await EventNamesAsync(id));

        // An ended job takes no more reports: 409, and nothing changed.
        using (var finish = await http.GetAsync($"/~lkp/cgi-bin/lkp-post-run?job_id={id}", Token))
        {
            Assert.Equal("\"success\"", await finish.Content.ReadAsStringAsync(Token));
        }

        var ended = await LifecycleAsync(id);
        await Expect($"/~lkp/cgi-bin/lkp-jobfile-append-var?job_id={id}&job_state=failed", HttpStatusCode.Conflict, "job_id");
        await Expect($"/~lkp/cgi-bin/lkp-post-run?job_id={id}", HttpStatusCode.Conflict, "job_id");
        await Expect($"/scheduler/~lkp/cgi-bin/report_ssh_port?job_id={id}&ssh_port=22", HttpStatusCode.Conflict, "job_id");
        Assert.Equal(ended, await LifecycleAsync(id));
    }
}
