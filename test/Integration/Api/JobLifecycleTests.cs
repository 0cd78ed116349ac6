using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>Stage changes and finishing through the one transition table, over HTTP against MariaDB.</summary>
public sealed class JobLifecycleTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private async Task<(string Id, string Testbox)> HeldJobAsync(JsonObject? extra = null)
    {
        var tbox = "vm-life-" + Guid.NewGuid().ToString("N")[..6];
        var job = new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = tbox, ["runtime"] = "300s" };
        foreach (var (k, v) in extra ?? [])
        {
            job[k] = v?.DeepClone();
        }

        var id = (await fixture.Client.SubmitAsync(job))["id"]!.GetValue<string>();
        var testbox = $"{tbox}--0";
        Assert.Equal(id, (await fixture.Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 0))!["id"]!.GetValue<string>());
        return (id, testbox);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, JsonObject body)
    {
        using var response = await fixture.Http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task A_job_runs_through_its_stages_to_success_and_its_history_lists_each_step()
    {
        var (id, testbox) = await HeldJobAsync();

        foreach (var stage in new[] { "running", "post_run" })
        {
            var (status, body) = await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = stage, ["testbox"] = testbox });
            Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
            Assert.Equal(stage, body["job_stage"]!.GetValue<string>());
        }

        var (finishStatus, finished) = await PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success", ["testbox"] = testbox });

        Assert.Equal(HttpStatusCode.OK, finishStatus);
        Assert.Equal("finish", finished["job_stage"]!.GetValue<string>());
        Assert.Equal("success", finished["job_health"]!.GetValue<string>());
        Assert.NotNull(finished["running_time"]);
        Assert.NotNull(finished["post_run_time"]);
        Assert.NotNull(finished["finish_time"]);
        var events = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/jobs/{id}/events", TestContext.Current.CancellationToken))!["events"]!.AsArray();
        // The lifecycle's story; the results pipeline appends its own events after the end, when it has run.
        Assert.Equal(["submitted", "leased", "stage", "stage", "finished"], events.Select(e => e!["event"]!.GetValue<string>()).Where(e => e is not ("extracted" or "notified")));
        Assert.Equal(testbox, events[1]!["testbox"]!.GetValue<string>());
        Assert.Equal("post_run", events[3]!["stage"]!.GetValue<string>());
    }

    [Fact]
    public async Task Running_sets_the_compass_ci_deadline_and_manual_check_and_renew_lead_to_finish()
    {
        var (id, _) = await HeldJobAsync();

        var (_, running) = await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "running" });
        var runningAt = DateTimeOffset.Parse(running["running_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTimeOffset.Parse(running["deadline"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        // runtime 300 s and no timeout: 300 + max(300/8, 300) + sqrt(300), rounded up = 618 s.
        Assert.Equal(618, Math.Round((deadline - runningAt).TotalSeconds));

        foreach (var stage in new[] { "post_run", "manual_check", "renew" })
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = stage })).Status);
        }

        var (status, finished) = await PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "failed" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("failed", finished["job_health"]!.GetValue<string>());
        Assert.Null(finished["deadline"]);
    }

    [Fact]
    public async Task An_illegal_transition_gets_409_naming_the_current_stage_and_changes_nothing()
    {
        var (id, testbox) = await HeldJobAsync();
        var before = (await fixture.Client.GetJobAsync(id))!;

        var (status, problem) = await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "post_run" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("'boot'", problem["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, await fixture.Client.GetJobAsync(id)));

        await PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success", ["testbox"] = testbox });
        var (again, afterFinish) = await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "running" });
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("'finish'", afterFinish["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "failed" })).Status);
        Assert.Equal("success", (await fixture.Client.GetJobAsync(id))!["job_health"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_update_from_a_testbox_that_does_not_hold_the_job_gets_409()
    {
        var (id, _) = await HeldJobAsync();

        var (status, problem) = await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "running", ["testbox"] = "someone-else" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("someone-else", problem["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("boot", (await fixture.Client.GetJobAsync(id))!["job_stage"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_crash_is_recorded_with_its_classification_and_bad_classifications_get_400()
    {
        var (id, _) = await HeldJobAsync();

        var (bad, problem) = await PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "crash", ["crash"] = new JsonObject { ["cause"] = "disk" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotNull(problem["errors"]!["crash.cause"]);
        Assert.Equal("boot", (await fixture.Client.GetJobAsync(id))!["job_stage"]!.GetValue<string>());

        var crash = new JsonObject { ["notify"] = "lab", ["cause"] = "network", ["fatal"] = false, ["keyvals"] = new JsonObject { ["nic"] = "eth1" } };
        var (ok, finished) = await PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "crash", ["crash"] = crash });

        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("crash", finished["job_health"]!.GetValue<string>());
        Assert.Equal("network", finished["crash"]!["cause"]!.GetValue<string>());
        Assert.Equal("eth1", finished["crash"]!["keyvals"]!["nic"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"stage\": \"flying\"}", "stage")]
    [InlineData("{}", "stage")]
    [InlineData("{\"stage\": \"finish\"}", "stage")]
    [InlineData("{\"stage\": 3}", "stage")]
    [InlineData("not json", "body")]
    public async Task A_bad_stage_request_gets_400_naming_the_field(string body, string field)
    {
        var (id, _) = await HeldJobAsync();
        using var response = await fixture.Http.PostAsync($"/api/v1/jobs/{id}/stage", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["errors"]![field]);
    }

    [Fact]
    public async Task Cancelling_a_pending_job_ends_it_and_takes_it_out_of_its_queue_at_once()
    {
        var tbox = "vm-cancel-" + Guid.NewGuid().ToString("N")[..6];
        var id = (await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = tbox }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();

        var (status, cancelled) = await PostAsync($"/api/v1/jobs/{id}/cancel", []);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("finish", cancelled["job_stage"]!.GetValue<string>());
        Assert.Equal("cancel", cancelled["job_health"]!.GetValue<string>());
        Assert.Equal(0, (await fixture.Client.QueuesAsync()).Single(q => q!["key"]!.GetValue<string>() == $"tbox_group={tbox},tbox_type=vm")!["pending"]!.GetValue<int>());
        Assert.Null(await fixture.Client.ConsumeAsync($"{tbox}--0", new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken));
        var events = JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/jobs/{id}/events", TestContext.Current.CancellationToken))!["events"]!.AsArray();
        Assert.Equal("cancelled", events[^1]!["event"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/api/v1/jobs/{id}/cancel", [])).Status);
    }

    [Fact]
    public async Task Cancelling_a_running_job_marks_it_and_the_testbox_is_told_to_abort_on_its_next_call()
    {
        var (id, testbox) = await HeldJobAsync();
        await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "running", ["testbox"] = testbox });

        var (status, marked) = await PostAsync($"/api/v1/jobs/{id}/cancel", []);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("running", marked["job_stage"]!.GetValue<string>());
        Assert.True(marked["abort"]!.GetValue<bool>());
        var (next, problem) = await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "post_run", ["testbox"] = testbox });
        Assert.Equal(HttpStatusCode.Conflict, next);
        Assert.Contains("abort", problem["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var (finishStatus, finished) = await PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "cancel", ["testbox"] = testbox });
        Assert.Equal(HttpStatusCode.OK, finishStatus);
        Assert.Equal("cancel", finished["job_health"]!.GetValue<string>());
    }

    [Fact]
    public async Task Updates_to_an_unknown_job_get_404()
    {
        var (status, _) = await PostAsync("/api/v1/jobs/123456789/stage", new JsonObject { ["stage"] = "running" });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync("/api/v1/jobs/123456789/events", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("/api/v1/jobs/123456789/cancel", [])).Status);
    }
}
