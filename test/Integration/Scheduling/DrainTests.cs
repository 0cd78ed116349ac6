using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// Exactly-once consumption under load: 10,000 jobs over 8 tag shapes drained by 64 concurrent testboxes
/// with mixed offers, through one silo and through two silos of one cluster.
/// </summary>
public sealed class DrainTests(MariaDbFixture database)
{
    private const int Jobs = 10_000;

    [Fact]
    public async Task Ten_thousand_jobs_are_each_consumed_exactly_once_by_a_fitting_testbox()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("drain1");
        await using var silo = await SiloProcess.StartAsync(connectionString, "drain1");
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);

        var ids = await DrainScenario.SubmitAsync([client], 0, Jobs);
        Assert.Equal(Jobs, ids.Distinct().Count());
        Assert.Equal(Jobs, await client.PendingAsync());

        var result = await DrainScenario.DrainAsync([client], Jobs, TimeSpan.FromMinutes(5));

        await AssertDrained(result, ids, silo, connectionString);
        Assert.Equal(0, await client.PendingAsync());
        Assert.Equal(0, await SubmitStageCount(connectionString));
    }

    [Fact]
    public async Task Two_silos_in_one_cluster_drain_ten_thousand_jobs_exactly_once()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("drain2");
        await using var first = await SiloProcess.StartAsync(connectionString, "drain2");
        await using var second = await SiloProcess.StartAsync(connectionString, "drain2");
        using var http1 = first.CreateClient();
        using var http2 = second.CreateClient();
        SchedulerClient[] clients = [new(http1), new(http2)];

        var ids = await DrainScenario.SubmitAsync(clients, 0, Jobs);
        Assert.Equal(Jobs, await clients[0].PendingAsync());
        Assert.Equal(Jobs, await clients[1].PendingAsync());

        var result = await DrainScenario.DrainAsync(clients, Jobs, TimeSpan.FromMinutes(5));

        await AssertDrained(result, ids, first, connectionString);
        Assert.Equal(0, await SubmitStageCount(connectionString));
        Assert.Equal(2, await ActiveSiloCount(connectionString, "drain2"));
    }

    internal static async Task AssertDrained(DrainScenario.Result result, IReadOnlyCollection<string> ids, SiloProcess silo, string connectionString)
    {
        Assert.True(!result.Duplicates.Any(), "duplicates: " + string.Join("; ", result.Duplicates.Take(10)));
        Assert.True(result.Violations.Count == 0, "violations: " + string.Join("; ", result.Violations.Take(10)));
        var missing = ids.Except(result.TakenBy.Keys).ToList();
        if (missing.Count > 0)
        {
            var rows = await Sql.RowsAsync(connectionString, $"SELECT id, job_stage, testbox, lease_id, version FROM jobs WHERE id IN ({string.Join(',', missing.Take(5))})");
            Assert.Fail($"{missing.Count} jobs never consumed, e.g. {string.Join(" | ", rows)}\n{Tail(silo.Log())}");
        }

        Assert.Equal(ids.Count, result.TakenBy.Count);
    }

    internal static async Task<long> SubmitStageCount(string connectionString) =>
        await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs WHERE job_stage = 'submit'");

    internal static async Task<long> ActiveSiloCount(string connectionString, string clusterId) =>
        await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 3");

    internal static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;
}
