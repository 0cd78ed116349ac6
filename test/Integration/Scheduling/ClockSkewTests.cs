using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// Silos whose clocks disagree: a heartbeat received by one silo is judged by whichever silo sweeps and holds the job,
/// so both must judge it on one clock (the database's), not each on its own.
/// </summary>
public sealed class ClockSkewTests(MariaDbFixture database)
{
    [Fact]
    public async Task A_testbox_that_falls_silent_after_beating_through_a_silo_whose_clock_runs_ahead_still_crashes_its_job()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("skew");
        var cluster = "skew" + Guid.NewGuid().ToString("N")[..6];
        var fast = new Dictionary<string, string>
        {
            ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
            ["CompassCi__Lifecycle__HeartbeatIntervalSeconds"] = "1",
            // Orleans' own failure detection reads the silos' clocks too (IAmAlive times in the membership table) and
            // would declare the skewed silo dead; this test is about the scheduler's clocks, and kills no silo.
            ["CompassCi__Membership__LivenessEnabled"] = "false",
        };
        await using var right = await SiloProcess.StartAsync(connectionString, cluster, fast);
        await using var ahead = await SiloProcess.StartAsync(connectionString, cluster, new Dictionary<string, string>(fast) { ["CompassCi__FailPoints__ClockOffset"] = "00:10:00" });
        using var viaRight = right.CreateClient();
        using var viaAhead = ahead.CreateClient();
        var client = new SchedulerClient(viaRight);
        var id = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = "vm-skew--0", ["max_attempts"] = 0 }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.Equal(id, (await client.ConsumeAsync("vm-skew--0", new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
        await client.StageAsync(id, "running", "vm-skew--0");

        // The box beats through the silo whose clock is ten minutes ahead, then dies.
        await new SchedulerClient(viaAhead).HeartbeatAsync("vm-skew--0", 1);

        Assert.True(
            await Eventually.HoldsAsync(async () => (await client.GetJobAsync(id))!["job_stage"]!.GetValue<string>() == "finish", TimeSpan.FromSeconds(30)),
            "the job of a silent testbox was not crashed: " + (await client.GetJobAsync(id))!.ToJsonString());
        Assert.Equal("heartbeat_lost", (await client.GetJobAsync(id))!["crash"]!["keyvals"]!["reason"]!.GetValue<string>());
    }
}
