using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>
/// A silo whose queues never reconcile during a test (once an hour) and whose renewals stop two hours after hand-out:
/// a job found again in its queue was put there by the change under test, not by the reconcile.
/// </summary>
public sealed class ClientRulesSilo(MariaDbFixture database) : SiloFixture(database)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } = new Dictionary<string, string>
    {
        ["CompassCi__Queues__ReconcileInterval"] = "01:00:00",
        ["CompassCi__Queues__ReconcileWindow"] = "01:00:00",
        ["CompassCi__Lifecycle__RenewCeiling"] = "02:00:00",
    };
}

/// <summary>
/// A client (a testbox, a script with curl) makes only the transitions that are its own: it cannot hand a pending job
/// out to nobody, run it or finish it; a holder that gives its job back puts it in its queue at once.
/// </summary>
public sealed class ClientTransitionTests(ClientRulesSilo silo) : IClassFixture<ClientRulesSilo>
{
    private SchedulerClient Client => silo.Client;

    private static string Group(string name) => $"vm-{name}-{Guid.NewGuid().ToString("N")[..6]}";

    private async Task<string> SubmitAsync(string group) =>
        (await Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();

    private static string? Error(JsonNode? problem, string field) => problem?["errors"]?[field]?[0]?.GetValue<string>();

    [Fact]
    public async Task A_client_cannot_move_a_pending_job_to_boot_and_the_job_stays_consumable()
    {
        var group = Group("noboot");
        var id = await SubmitAsync(group);

        var (status, problem) = await Client.PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "boot" });

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {problem?.ToJsonString()}");
        Assert.Contains("only the scheduler", Error(problem, "stage"), StringComparison.Ordinal);
        Assert.Equal("submit", (await Client.GetJobAsync(id))!["job_stage"]!.GetValue<string>());
        var taken = await Client.ConsumeAsync($"{group}--0", new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(id, taken?["id"]?.GetValue<string>());
        Assert.Equal("boot", taken!["job_stage"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_cannot_run_or_finish_a_pending_job_but_may_cancel_it()
    {
        var id = await SubmitAsync(Group("norun"));

        var (running, runningProblem) = await Client.PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "running" });
        var (finished, finishProblem) = await Client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success" });

        Assert.True(running == HttpStatusCode.Conflict, $"{(int)running}: {runningProblem?.ToJsonString()}");
        Assert.Contains("job is in stage 'submit'", Error(runningProblem, "job_stage"), StringComparison.Ordinal);
        Assert.True(finished == HttpStatusCode.Conflict, $"{(int)finished}: {finishProblem?.ToJsonString()}");
        Assert.Contains("job is in stage 'submit'", Error(finishProblem, "job_stage"), StringComparison.Ordinal);
        Assert.Equal("submit", (await Client.GetJobAsync(id))!["job_stage"]!.GetValue<string>());

        var (cancelled, job) = await Client.PostAsync($"/api/v1/jobs/{id}/cancel", []);
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal(("finish", "cancel"), (job!["job_stage"]!.GetValue<string>(), job["job_health"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_holder_that_gives_back_an_old_job_puts_it_in_its_queue_at_once_for_a_waiting_testbox()
    {
        var group = Group("giveback");
        // A job submitted two hours ago, far older than any reconcile window: only the give-back itself can requeue it.
        var submitted = DateTimeOffset.UtcNow.AddHours(-2);
        var id = ((long)(submitted - new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalMilliseconds << 22) + Random.Shared.Next(1, 1 << 20);
        var millis = submitted.ToUnixTimeMilliseconds();
        await Sql.ExecuteAsync(silo.ConnectionString, string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO jobs (id, submit_time, my_account, suite, tbox_group, queue_key, job_stage, priority, memory_mb, version, jj, queued_at) " +
            $"VALUES ({id}, {millis}, 'a', 's', '{group}', 'tbox_group={group},tbox_type=vm', 'submit', 5, 0, 1, '{{\"suite\": \"s\", \"my_account\": \"a\", \"tbox_group\": \"{group}\", \"tbox_type\": \"vm\"}}', {millis})"));
        var jobId = id.ToString(CultureInfo.InvariantCulture);
        var holder = $"{group}--0";
        // A submit through the API makes the queue known (its queue loads every pending row, the old one too); the
        // new job is then cancelled, so that the old job is the only one a testbox of the group can get.
        var fresh = await SubmitAsync(group);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/v1/jobs/{fresh}/cancel", [])).Status);
        Assert.Equal(jobId, (await Client.ConsumeAsync(holder, new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))?["id"]?.GetValue<string>());

        // Another testbox of the group waits for work; its consume request is recorded once it has begun.
        var request = Guid.NewGuid().ToString("N");
        var waiting = Client.ConsumeAsync($"{group}--1", new Dictionary<string, string>(), 4, 30, request, TestContext.Current.CancellationToken);
        Assert.True(await Eventually.HoldsAsync(
            async () => await Sql.ScalarAsync<long>(silo.ConnectionString, $"SELECT COUNT(*) FROM consume_requests WHERE request_id = '{request}'") == 1,
            TimeSpan.FromSeconds(10)));

        var clock = Stopwatch.StartNew();
        var (status, back) = await Client.PostAsync($"/api/v1/jobs/{jobId}/stage", new JsonObject { ["stage"] = "submit", ["testbox"] = holder });
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {back?.ToJsonString()}");
        Assert.Equal("submit", back!["job_stage"]!.GetValue<string>());

        var taken = await waiting;
        Assert.Equal(jobId, taken?["id"]?.GetValue<string>());
        Assert.Equal($"{group}--1", taken!["testbox"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the waiting testbox got the job {clock.Elapsed} after the give-back");
        var events = JsonNode.Parse(await Client.Http.GetStringAsync($"/api/v1/jobs/{jobId}/events", TestContext.Current.CancellationToken))!["events"]!.AsArray();
        Assert.Equal(["leased", "released", "leased"], events.Select(e => e!["event"]!.GetValue<string>()).Where(e => e != "submitted"));
    }

    [Fact]
    public async Task A_confirmed_job_cannot_be_given_back_and_another_testbox_cannot_give_a_job_back()
    {
        var group = Group("keep");
        var id = await SubmitAsync(group);
        var holder = $"{group}--0";
        Assert.Equal(id, (await Client.ConsumeAsync(holder, new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))?["id"]?.GetValue<string>());

        var (stranger, strangerProblem) = await Client.PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "submit", ["testbox"] = $"{group}--9" });
        Assert.True(stranger == HttpStatusCode.Conflict, $"{(int)stranger}: {strangerProblem?.ToJsonString()}");

        await Client.StageAsync(id, "running", holder);
        var (late, lateProblem) = await Client.PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "submit", ["testbox"] = holder });
        Assert.True(late == HttpStatusCode.Conflict, $"{(int)late}: {lateProblem?.ToJsonString()}");
        Assert.Contains("job is in stage 'running'", Error(lateProblem, "job_stage"), StringComparison.Ordinal);
        Assert.Equal(("running", holder), ((await Client.GetJobAsync(id))!["job_stage"]!.GetValue<string>(), (await Client.GetJobAsync(id))!["testbox"]!.GetValue<string>()));
    }
}
