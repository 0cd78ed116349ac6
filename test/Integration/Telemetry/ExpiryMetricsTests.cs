using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary>
/// The expiries the scheduler declares itself, counted by reason, on a silo with a short lease, a fast sweep and
/// one-second heartbeats: a lease that runs out, a deadline passed, a testbox that falls silent.
/// </summary>
public sealed class ExpiryMetricsTests(MariaDbFixture database)
{
    private static readonly Dictionary<string, string> Fast = new()
    {
        ["CompassCi__Lifecycle__LeaseSeconds"] = "3",
        ["CompassCi__Lifecycle__SweepInterval"] = "00:00:00.2",
        ["CompassCi__Lifecycle__HeartbeatIntervalSeconds"] = "1",
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lease_that_runs_out_a_passed_deadline_and_a_silent_testbox_are_each_counted_once_by_reason()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("expiry");
        await using var silo = await SiloProcess.StartAsync(connectionString, "exp" + Guid.NewGuid().ToString("N")[..6], Fast);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);

        // Silent: confirmed, beats once, then nothing.
        var silent = await TakeAsync(client, "vm-silent--0");
        await client.StageAsync(silent, "running", "vm-silent--0");
        await client.HeartbeatAsync("vm-silent--0", 1);
        // Overdue: confirmed, with a timeout of one second (its running deadline, without slack).
        var overdue = await TakeAsync(client, "vm-overdue--0", timeout: "1s");
        await client.StageAsync(overdue, "running", "vm-overdue--0");
        // Never confirmed: its lease runs out and it goes back to its queue.
        var unconfirmed = await TakeAsync(client, "vm-lease--0");

        Scrape? scrape = null;
        var counted = await Eventually.HoldsAsync(
            async () =>
            {
                scrape = await Scrape.OfAsync(http);
                return scrape.Samples("compassci_jobs_expired_total").Count == 3;
            },
            TimeSpan.FromSeconds(30));

        Assert.True(counted, $"not every expiry was counted; the last scrape:\n{scrape?.Text}\n{silo.Log()}");
        Assert.Equal(1, scrape!.Value("compassci_jobs_expired_total", "reason=\"lease_expired\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_expired_total", "reason=\"deadline_exceeded\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_expired_total", "reason=\"heartbeat_lost\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_finished_total", "job_health=\"timeout\""));
        Assert.Equal(1, scrape.Value("compassci_jobs_crashes_total", "cause=\"testbox\"", "notify=\"lab\""));
        Assert.Equal("submit", (await client.GetJobAsync(unconfirmed))!["job_stage"]!.GetValue<string>());
    }

    private static async Task<string> TakeAsync(SchedulerClient client, string testbox, string timeout = "1h")
    {
        var id = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = testbox, ["max_attempts"] = 1, ["timeout"] = timeout }, Cancel))["id"]!.GetValue<string>();
        Assert.Equal(id, (await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5, cancellationToken: Cancel))!["id"]!.GetValue<string>());
        return id;
    }
}
