using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Grains.Jobs;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>Job ids are unique across silos by construction: each silo draws them under a node number it leases, never by chance.</summary>
public sealed class JobIdNodeTests(MariaDbFixture database)
{
    private static readonly Dictionary<string, string> ShortLease = new() { ["CompassCi__JobIds__NodeLease"] = "00:00:04" };

    private static async Task<(HttpStatusCode Status, long Id)> SubmitAsync(SchedulerClient client)
    {
        var (status, body) = await client.TrySubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-ids" }, TestContext.Current.CancellationToken);
        return (status, status == HttpStatusCode.Created ? long.Parse(body!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    [Fact]
    public async Task Silos_draw_ids_under_node_numbers_they_lease_and_one_that_lost_its_number_draws_under_another()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("idnodes");
        var cluster = "ids" + Guid.NewGuid().ToString("N")[..6];
        await using var one = await SiloProcess.StartAsync(connectionString, cluster, ShortLease);
        await using var two = await SiloProcess.StartAsync(connectionString, cluster, ShortLease);
        using var httpOne = one.CreateClient();
        using var httpTwo = two.CreateClient();
        var (viaOne, viaTwo) = (new SchedulerClient(httpOne), new SchedulerClient(httpTwo));

        var leased = await Sql.RowsAsync(connectionString, "SELECT node, owner FROM id_nodes");
        var (first, second) = ((await SubmitAsync(viaOne)).Id, (await SubmitAsync(viaTwo)).Id);
        var nodeOne = JobIdGenerator.NodeOf(first);

        Assert.Equal(2, leased.Count);
        Assert.NotEqual(nodeOne, JobIdGenerator.NodeOf(second));
        Assert.All(new[] { first, second }, id => Assert.Contains(leased, row => row.StartsWith($"node={JobIdGenerator.NodeOf(id)},", StringComparison.Ordinal)));

        // Another silo takes silo one's number (as if silo one had been cut off past its lease): silo one stops drawing
        // under it within a renewal and draws under a number of its own again.
        await Sql.ExecuteAsync(connectionString, $"UPDATE id_nodes SET owner = 'another-silo', lease_until = lease_until + 3600000 WHERE node = {nodeOne}");
        var taken = Stopwatch.StartNew();
        var drawn = new List<(TimeSpan At, long Id)>();
        Assert.True(
            await Eventually.HoldsAsync(
                async () =>
                {
                    var (status, id) = await SubmitAsync(viaOne);
                    if (status == HttpStatusCode.Created)
                    {
                        drawn.Add((taken.Elapsed, id));
                    }

                    return taken.Elapsed > TimeSpan.FromSeconds(6) && status == HttpStatusCode.Created;
                },
                TimeSpan.FromSeconds(30)),
            one.Log());

        var late = drawn.Where(d => d.At > TimeSpan.FromSeconds(4.5)).Select(d => JobIdGenerator.NodeOf(d.Id)).ToList();
        Assert.NotEmpty(late);
        Assert.DoesNotContain(nodeOne, late);
        Assert.DoesNotContain(JobIdGenerator.NodeOf(second), late);
        Assert.Equal(1, await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM id_nodes WHERE node = {late[^1]} AND owner <> 'another-silo'"));
    }
}
