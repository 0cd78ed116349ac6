using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// Leases, deadlines and heartbeat checks live in the jobs and testboxes tables, not in a silo's memory: a silo
/// killed while it holds them is replaced by one that enforces every one of them.
/// </summary>
public sealed class LifecycleRecoveryTests(MariaDbFixture database)
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["CompassCi__Lifecycle__LeaseSeconds"] = "6",
        ["CompassCi__Lifecycle__SweepInterval"] = "00:00:01",
        ["CompassCi__Lifecycle__HeartbeatIntervalSeconds"] = "2",
    };

    [Fact]
    public async Task After_a_kill_9_a_new_silo_still_expires_the_lease_times_out_the_deadline_and_crashes_the_silent_box()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("recover");
        var cluster = "recover" + Guid.NewGuid().ToString("N")[..6];
        string leased, overdue, silent;
        await using (var doomed = await SiloProcess.StartAsync(connectionString, cluster, Settings))
        {
            using var http = doomed.CreateClient();
            var client = new SchedulerClient(http);
            async Task<string> TakeAsync(string testbox, JsonObject? extra = null)
            {
                var job = new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = testbox };
                foreach (var (k, v) in extra ?? [])
                {
                    job[k] = v?.DeepClone();
                }

                var id = (await client.SubmitAsync(job))["id"]!.GetValue<string>();
                Assert.Equal(id, (await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 0))!["id"]!.GetValue<string>());
                return id;
            }

            overdue = await TakeAsync("vm-overdue--0", new JsonObject { ["timeout"] = "6s" });
            await client.StageAsync(overdue, "running");
            silent = await TakeAsync("vm-silent--0");
            await client.StageAsync(silent, "running");
            await client.HeartbeatAsync("vm-silent--0", 2);
            leased = await TakeAsync("vm-leased--0");

            // Nothing has fired yet: each lease, deadline and heartbeat window is at least 6 s away.
            Assert.Equal("boot", (await client.GetJobAsync(leased))!["job_stage"]!.GetValue<string>());
            Assert.Equal("running", (await client.GetJobAsync(overdue))!["job_stage"]!.GetValue<string>());
            Assert.Equal("running", (await client.GetJobAsync(silent))!["job_stage"]!.GetValue<string>());
            await doomed.KillAsync();
        }

        await using var successor = await SiloProcess.StartAsync(connectionString, cluster, Settings);
        using var http2 = successor.CreateClient();
        var after = new SchedulerClient(http2);
        async Task<JsonObject> JobAsync(string id) => (await after.GetJobAsync(id))!;
        Assert.True(
            await Eventually.HoldsAsync(
                async () => (await JobAsync(leased))["job_stage"]!.GetValue<string>() == "submit"
                            && (await JobAsync(overdue))["job_stage"]!.GetValue<string>() == "finish"
                            && (await JobAsync(silent))["job_stage"]!.GetValue<string>() == "finish",
                TimeSpan.FromSeconds(60)),
            successor.Log());

        Assert.Equal("timeout", (await JobAsync(overdue))["job_health"]!.GetValue<string>());
        var crashed = await JobAsync(silent);
        Assert.Equal("crash", crashed["job_health"]!.GetValue<string>());
        Assert.Equal("testbox", crashed["crash"]!["cause"]!.GetValue<string>());
        Assert.NotNull(crashed["rescheduled_as"]);
        // The returned lease and the rescheduled attempt are both consumable from the new silo.
        Assert.Equal(leased, (await after.ConsumeAsync("vm-leased--0", new Dictionary<string, string>(), 4, 10, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
        Assert.Equal(crashed["rescheduled_as"]!.GetValue<string>(), (await after.ConsumeAsync("vm-silent--0", new Dictionary<string, string>(), 4, 10, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
    }
}
