using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// Leases and deadlines enforced by the sweeper over the table. The silo runs with a 2 s lease and a 1 s sweep so
/// the tests wait seconds, not minutes; the waits are for conditions, with deadlines.
/// </summary>
public sealed class LeaseAndDeadlineTests(MariaDbFixture database)
{
    private static readonly Dictionary<string, string> Fast = new()
    {
        ["CompassCi__Lifecycle__LeaseSeconds"] = "2",
        ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
    };

    [Fact]
    public async Task An_unconfirmed_lease_expires_the_job_goes_to_another_testbox_and_the_late_update_is_refused()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("lease");
        await using var silo = await SiloProcess.StartAsync(connectionString, "lease" + Guid.NewGuid().ToString("N")[..6], Fast);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var id = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-lease" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.NotNull(await client.ConsumeAsync("vm-lease--gone", new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetJobAsync(id))!["job_stage"]!.GetValue<string>() == "submit", TimeSpan.FromSeconds(30)), silo.Log());
        var second = await client.ConsumeAsync("vm-lease--next", new Dictionary<string, string>(), 4, 10, cancellationToken: TestContext.Current.CancellationToken);
        using var late = await http.PostAsync($"/api/v1/jobs/{id}/stage", new StringContent("{\"stage\": \"running\", \"testbox\": \"vm-lease--gone\"}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        using var confirmed = await http.PostAsync($"/api/v1/jobs/{id}/stage", new StringContent("{\"stage\": \"running\", \"testbox\": \"vm-lease--next\"}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(id, second!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var events = JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs/{id}/events", TestContext.Current.CancellationToken))!["events"]!.AsArray().Select(e => e!["event"]!.GetValue<string>());
        Assert.Equal(["submitted", "leased", "lease_expired", "leased", "stage"], events);
    }

    [Fact]
    public async Task A_running_job_past_its_deadline_is_closed_as_timeout()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("deadline");
        await using var silo = await SiloProcess.StartAsync(connectionString, "deadline" + Guid.NewGuid().ToString("N")[..6], Fast);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        // An explicit timeout of 1 s: the running deadline is exactly that, with no slack.
        var id = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-slow", ["timeout"] = "1s" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.NotNull(await client.ConsumeAsync("vm-slow--0", new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken));
        using var running = await http.PostAsync($"/api/v1/jobs/{id}/stage", new StringContent("{\"stage\": \"running\"}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, running.StatusCode);

        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetJobAsync(id))!["job_stage"]!.GetValue<string>() == "finish", TimeSpan.FromSeconds(30)), silo.Log());
        var job = (await client.GetJobAsync(id))!;

        Assert.Equal("timeout", job["job_health"]!.GetValue<string>());
        Assert.Null(job["deadline"]);
    }

    [Fact]
    public async Task Renew_moves_the_deadline_and_keeps_the_job_from_timing_out()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("renew");
        await using var silo = await SiloProcess.StartAsync(connectionString, "renew" + Guid.NewGuid().ToString("N")[..6], Fast);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        async Task<string> RunningJobAsync(string testbox)
        {
            var id = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = testbox, ["timeout"] = "1s" }))["id"]!.GetValue<string>();
            Assert.NotNull(await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 0));
            using var running = await http.PostAsync($"/api/v1/jobs/{id}/stage", new StringContent("{\"stage\": \"running\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, running.StatusCode);
            return id;
        }

        var renewed = await RunningJobAsync("vm-renew--0");
        using var renew = await http.PostAsync($"/api/v1/jobs/{renewed}/renew", new StringContent("{\"seconds\": 600}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, renew.StatusCode);
        var control = await RunningJobAsync("vm-renew--1");

        // The control job, running with the same 1 s timeout after the renewal, times out: the sweeper has
        // passed the renewed job's original deadline by then.
        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetJobAsync(control))!["job_health"]?.GetValue<string>() == "timeout", TimeSpan.FromSeconds(30)), silo.Log());
        var job = (await client.GetJobAsync(renewed))!;

        Assert.Equal("running", job["job_stage"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(job["deadline"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(5));
        using var bad = await http.PostAsync($"/api/v1/jobs/{renewed}/renew", new StringContent("{\"seconds\": -5}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
