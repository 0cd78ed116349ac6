using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;
using MySqlConnector;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// Consume retries against exact interleavings, forced by a proxy between the silo and MariaDB that holds back the
/// reply to one write: the write has landed, the silo does not know it yet.
/// </summary>
public sealed class ConsumeRaceTests(MariaDbFixture database)
{
    [Fact]
    public async Task A_release_after_a_hang_up_cannot_undo_the_job_a_retry_of_the_same_request_already_returned()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("race");
        await using var proxy = TcpProxy.To((int)new MySqlConnectionStringBuilder(connectionString).Port);
        var proxied = new MySqlConnectionStringBuilder(connectionString) { Port = (uint)proxy.Port }.ConnectionString;
        await using var silo = await SiloProcess.StartAsync(proxied, "race" + Guid.NewGuid().ToString("N")[..6]);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var job = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-race" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        var request = "req-" + Guid.NewGuid().ToString("N");
        var body = $$"""{"request_id": "{{request}}", "wait_seconds": 5}""";

        // Attempt 1: its assignment commits, but the commit's reply is held, so the silo is still waiting for it when
        // the testbox gives up on the answer and hangs up.
        var hold = proxy.HoldReplyTo($"lease_id = '{request}'");
        using var impatient = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(4) };
        var first = impatient.PostAsync("/api/v1/testboxes/vm-race--1/consume", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        // Attempt 2, the testbox's retry: the assignment is in the table, so the retry is answered with the job.
        var retried = await client.ConsumeAsync("vm-race--1", new Dictionary<string, string>(), 4, 5, request, TestContext.Current.CancellationToken);
        Assert.Equal(job, retried!["id"]!.GetValue<string>());

        // Attempt 1's reply arrives: the silo finds its testbox gone and tries to give the job back.
        hold.Release();
        Assert.True(
            await Eventually.HoldsAsync(() => Task.FromResult(silo.Log().Contains("hung up before the answer reached it; back in its queue: ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
            silo.Log());

        // The testbox that holds the job keeps it: nobody else gets it.
        var other = await client.ConsumeAsync("vm-race--2", new Dictionary<string, string>(), 4, 2, cancellationToken: TestContext.Current.CancellationToken);
        var now = (await client.GetJobAsync(job))!;
        Assert.Null(other);
        Assert.Equal(("boot", "vm-race--1"), (now["job_stage"]!.GetValue<string>(), now["testbox"]!.GetValue<string>()));
    }
}
