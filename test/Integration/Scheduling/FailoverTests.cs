using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>No job lost, none handed out twice, when a silo dies mid-drain or the whole cluster restarts.</summary>
public sealed class FailoverTests(MariaDbFixture database)
{
    private const int KillJobs = 10_000;
    private const int RestartJobs = 4_000;

    [Fact]
    public async Task Killing_a_silo_mid_submit_and_mid_drain_loses_no_job_and_duplicates_none()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("kill");
        await using var survivor = await SiloProcess.StartAsync(connectionString, "kill");
        await using var victim = await SiloProcess.StartAsync(connectionString, "kill");
        using var http1 = survivor.CreateClient();
        using var http2 = victim.CreateClient();
        SchedulerClient[] clients = [new(http1), new(http2)];

        // Submitters (retrying with submit_id) and testboxes (retrying with request_id) run together; the victim dies
        // when a quarter of the jobs are taken, while both are still at work.
        var submitting = DrainScenario.SubmitRetryingAsync(clients, 0, KillJobs, "kill");
        var killed = 0;
        var submittedWhenKilled = -1L;
        var result = await DrainScenario.DrainAsync(clients, KillJobs, TimeSpan.FromMinutes(4), async taken =>
        {
            if (taken >= KillJobs / 4 && Interlocked.Exchange(ref killed, 1) == 0)
            {
                submittedWhenKilled = await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs");
                await victim.KillAsync();
            }
        });
        var (ids, submitRetries) = await submitting;

        Assert.True(victim.HasExited);
        Assert.True(result.Errors > 0, "the kill should have failed some consumes, or it happened too late to test anything");
        Assert.True(submittedWhenKilled < KillJobs && submitRetries > 0, $"the kill should have come mid-submit ({submittedWhenKilled} stored, {submitRetries} submits repeated)");
        Assert.Equal(KillJobs, ids.Distinct().Count());
        Assert.Equal(KillJobs, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs"));
        await DrainTests.AssertDrained(result, ids, survivor, connectionString);
        Assert.Equal(0, await DrainTests.SubmitStageCount(connectionString));
    }

    [Fact]
    public async Task After_a_full_restart_pending_jobs_are_still_consumable_and_taken_jobs_never_return()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("restart");
        var ids = new List<string>();
        DrainScenario.Result before;
        await using (var first = await SiloProcess.StartAsync(connectionString, "restart"))
        await using (var second = await SiloProcess.StartAsync(connectionString, "restart"))
        {
            using var http1 = first.CreateClient();
            using var http2 = second.CreateClient();
            SchedulerClient[] clients = [new(http1), new(http2)];
            ids.AddRange((await DrainScenario.SubmitRetryingAsync(clients, 0, RestartJobs, "restart")).Ids);
            before = await DrainScenario.DrainAsync(clients, RestartJobs / 2, TimeSpan.FromMinutes(3));
            await first.KillAsync();
            await second.KillAsync();
        }

        var takenBefore = before.TakenBy.Keys.ToHashSet();
        Assert.True(takenBefore.Count >= RestartJobs / 2);
        Assert.Equal(RestartJobs - takenBefore.Count, await DrainTests.SubmitStageCount(connectionString));

        await using var restarted = await SiloProcess.StartAsync(connectionString, "restart");
        using var http = restarted.CreateClient();
        var client = new SchedulerClient(http);
        Assert.Equal(RestartJobs - takenBefore.Count, await client.PendingAsync());
        var pendingId = ids.First(id => !takenBefore.Contains(id));
        Assert.Equal("submit", (await client.GetJobAsync(pendingId))!["job_stage"]!.GetValue<string>());

        // Clients that never heard back submit again with the same submit_id: each gets its job, none a second one.
        var (again, _) = await DrainScenario.SubmitRetryingAsync([client], 0, RestartJobs, "restart");
        Assert.Equal(ids.ToHashSet(), again.ToHashSet());
        Assert.Equal(RestartJobs, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs"));

        var after = await DrainScenario.DrainAsync([client], RestartJobs - takenBefore.Count, TimeSpan.FromMinutes(3));

        var twice = after.TakenBy.Keys.Where(takenBefore.Contains).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} jobs handed out before the restart were handed out again");
        Assert.Empty(after.Duplicates);
        Assert.Empty(after.Violations);
        Assert.Equal(ids.ToHashSet(), takenBefore.Concat(after.TakenBy.Keys).ToHashSet());
        Assert.Equal(0, await DrainTests.SubmitStageCount(connectionString));
    }
}
