using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Effects;

/// <summary>
/// The outbox under a crash: a silo killed (SIGKILL, by a fail point) right after a job's end was written and before
/// any of its effects ran. The next silo delivers each effect, and each side effect happens exactly once.
/// </summary>
public sealed class EffectsAfterCrashTests(MariaDbFixture database)
{
    private static Dictionary<string, string> Settings(bool failPoint)
    {
        var settings = new Dictionary<string, string>
        {
            ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
            ["CompassCi__Effects__RedriveAfter"] = "00:00:02",
            ["CompassCi__Hosts__ConsecutiveCrashes"] = "1",
            ["CompassCi__Hosts__HealthCheckJobs__vm-fx"] = """{"suite": "host-health", "my_account": "lab"}""",
        };
        if (failPoint)
        {
            settings["CompassCi__FailPoints__KillBeforeEffectsOfSuite"] = "doomed";
        }

        return settings;
    }

    [Fact]
    public async Task Every_effect_of_an_end_written_just_before_a_kill_runs_once_on_the_next_silo()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("effects");
        var cluster = "fx" + Guid.NewGuid().ToString("N")[..6];
        string jobId;

        await using (var doomed = await SiloProcess.StartAsync(connectionString, cluster, Settings(failPoint: true)))
        {
            using var http = doomed.CreateClient();
            var client = new SchedulerClient(http);
            jobId = (await client.SubmitAsync(new JsonObject { ["suite"] = "doomed", ["my_account"] = "a", ["tbox_group"] = "vm-fx" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
            Assert.Equal(jobId, (await client.ConsumeAsync("vm-fx--h1-0", new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
            await client.StageAsync(jobId, "running");

            // A testbox crash: it ends the job, reschedules it, and its host (h1, quarantined after one such crash) submits a health check.
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.PostAsync($"/api/v1/jobs/{jobId}/finish", new JsonObject
            {
                ["health"] = "crash",
                ["crash"] = new JsonObject { ["notify"] = "lab", ["cause"] = "testbox" },
            }));
            Assert.Equal(137, await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // What the kill left: the end and its successor are written, none of the effects ran (the host's, the
        // successor's enqueue, the results pipeline's).
        var successor = await Sql.ScalarAsync<long>(connectionString, $"SELECT rescheduled_as FROM jobs WHERE id = {jobId} AND job_stage = 'finish'");
        Assert.Equal(3, await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM job_effects WHERE job_id = {jobId} AND done_at IS NULL"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM hosts"));

        await using var next = await SiloProcess.StartAsync(connectionString, cluster, Settings(failPoint: false));
        using var nextHttp = next.CreateClient();
        var nextClient = new SchedulerClient(nextHttp);
        Assert.True(
            await Eventually.HoldsAsync(async () => await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM job_effects WHERE job_id = {jobId} AND done_at IS NOT NULL") == 3, TimeSpan.FromSeconds(60)),
            string.Join('\n', await Sql.RowsAsync(connectionString, "SELECT * FROM job_effects")) + next.Log());

        // The host acted once: quarantined, with one health-check job; the successor is in its queue once.
        Assert.Equal(1, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM hosts WHERE host = 'h1' AND quarantined = 1"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs WHERE suite = 'host-health'"));
        Assert.Equal(2, await Sql.ScalarAsync<long>(connectionString, $"SELECT MIN(attempts) FROM job_effects WHERE job_id = {jobId}"));
        var taken = await nextClient.ConsumeAsync("vm-fx--h2-0", new Dictionary<string, string>(), 4, 10, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(successor.ToString(System.Globalization.CultureInfo.InvariantCulture), taken!["id"]!.GetValue<string>());
        Assert.Null(await nextClient.ConsumeAsync("vm-fx--h3-0", new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken));

        // Redelivered again (as if its mark were lost), the host's end changes nothing: still one health check.
        await Sql.ExecuteAsync(connectionString, $"UPDATE job_effects SET done_at = NULL, next_attempt_at = 0 WHERE job_id = {jobId}");
        Assert.True(await Eventually.HoldsAsync(async () => await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM job_effects WHERE job_id = {jobId} AND done_at IS NOT NULL") == 3, TimeSpan.FromSeconds(60)));
        Assert.Equal(1, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs WHERE suite = 'host-health'"));
    }
}
