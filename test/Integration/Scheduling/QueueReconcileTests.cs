using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>A pending row that its queue's memory lost is found again by the queue's reconcile, however old its id.</summary>
public sealed class QueueReconcileTests(MariaDbFixture database)
{
    [Fact]
    public async Task A_job_back_in_its_queue_with_an_old_id_whose_enqueue_was_lost_is_still_handed_out()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("reconcile");
        await using var silo = await SiloProcess.StartAsync(connectionString, "rec" + Guid.NewGuid().ToString("N")[..6], new Dictionary<string, string>
        {
            ["CompassCi__Queues__ReconcileInterval"] = "00:00:01",
            ["CompassCi__Queues__ReconcileWindow"] = "00:01:00",
        });
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        // The queue is active (a job went through it), so it will not re-read the table by activating again.
        var first = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-rec" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.Equal(first, (await client.ConsumeAsync("vm-rec--1", new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());

        // What a job submitted two hours ago looks like after it just went back to its queue (its lease expired) and the
        // message that should have put it in the queue's memory was lost: the row is pending, the queue does not know.
        var now = DateTimeOffset.UtcNow;
        var old = (long)(now.AddHours(-2) - new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalMilliseconds << 22;
        await Sql.ExecuteAsync(connectionString, string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO jobs (id, submit_time, my_account, suite, tbox_group, queue_key, job_stage, priority, memory_mb, version, jj, queued_at) " +
            $"VALUES ({old}, {now.AddHours(-2).ToUnixTimeMilliseconds()}, 'a', 's', 'vm-rec', 'tbox_group=vm-rec,tbox_type=vm', 'submit', 5, 0, 3, '{{\"suite\": \"s\", \"my_account\": \"a\", \"tbox_group\": \"vm-rec\", \"tbox_type\": \"vm\"}}', {now.ToUnixTimeMilliseconds()})"));

        var taken = await client.ConsumeAsync("vm-rec--2", new Dictionary<string, string>(), 4, 10, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(old.ToString(CultureInfo.InvariantCulture), taken?["id"]?.GetValue<string>());
    }
}
