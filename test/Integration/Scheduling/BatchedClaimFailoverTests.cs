using CompassCi.Tests.Integration.Infrastructure;
using CompassCi.Tests.Integration.Telemetry;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// The batched hand-out under fire: two silos' queues claim in shared statements while 64 testboxes (retrying with
/// their request ids through the other silo) drain the jobs, and one silo is SIGKILLed mid-drain with claims in flight.
/// </summary>
public sealed class BatchedClaimFailoverTests(MariaDbFixture database)
{
    private const int Jobs = 6_000;

    [Fact]
    public async Task Batched_claims_on_two_silos_with_one_killed_hand_every_job_out_exactly_once()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("batchkill");
        await using var survivor = await SiloProcess.StartAsync(connectionString, "batchkill");
        await using var victim = await SiloProcess.StartAsync(connectionString, "batchkill");
        using var http1 = survivor.CreateClient();
        using var http2 = victim.CreateClient();
        SchedulerClient[] clients = [new(http1), new(http2)];
        var ids = await DrainScenario.SubmitAsync(clients, 0, Jobs);

        var killed = 0;
        var result = await DrainScenario.DrainAsync(clients, Jobs, TimeSpan.FromMinutes(4), async taken =>
        {
            if (taken >= Jobs / 3 && Interlocked.Exchange(ref killed, 1) == 0)
            {
                await victim.KillAsync();
            }
        });

        Assert.True(victim.HasExited);
        Assert.True(result.Errors > 0, "the kill should have failed some consumes in flight, or it came too late to test anything");
        await DrainTests.AssertDrained(result, ids, survivor, connectionString);
        Assert.Equal(0, await DrainTests.SubmitStageCount(connectionString));

        // Each job was leased once: a testbox whose answer died with the victim got the same job again by its request id.
        const string leases = "COALESCE(JSON_LENGTH(JSON_SEARCH(events, 'all', 'leased', NULL, '$[*].event')), 0)";
        var notLeasedOnce = await Sql.RowsAsync(connectionString, $"SELECT id, {leases} AS leases FROM jobs WHERE {leases} <> 1 LIMIT 5");
        Assert.True(notLeasedOnce.Count == 0, "jobs not leased exactly once: " + string.Join(" | ", notLeasedOnce));

        // And the claims did share statements: on the survivor alone, fewer batches than hand-outs.
        var scrape = await Scrape.OfAsync(http1);
        var batches = scrape.Value("compassci_consume_claim_batch_count");
        var claims = scrape.Value("compassci_consume_claim_batch_sum");
        Assert.True(batches > 0 && claims / batches > 1, $"{claims} claims in {batches} batches on the survivor");
    }
}
