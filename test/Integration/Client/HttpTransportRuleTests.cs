using System.Globalization;
using System.Net;
using System.Text;
using CompassCi.Client;
using CompassCi.Client.Http;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Tests.Integration.Client;

/// <summary>
/// The HTTP SDK's transport rules against a stub server that fails on cue: what is retried (reads, a submit with a
/// submit_id) and what is sent once (cancel, a submit without one), and how a watch reconnects (Last-Event-ID = the last
/// event handed out: no gap, no duplicate).
/// </summary>
public sealed class HttpTransportRuleTests
{
    private static readonly CompassCiHttpOptions Quick = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalBudget = TimeSpan.FromSeconds(20),
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        WatchIdleTimeout = TimeSpan.FromSeconds(10),
    };

    private const string Job = """{"id":"12","job_stage":"submit","job_health":null,"my_account":"me","suite":"ebizzy","queue_key":"tbox_group=vm","submit_time":"2026-12-01T10:00:00.000+00:00","abort":false,"attempt":1}""";

    private const string Unavailable = """{"title":"Service unavailable.","status":503,"detail":"the database is down"}""";

    [Fact]
    public async Task A_cancel_facing_a_503_is_sent_once_and_the_refusal_surfaces()
    {
        await using var stub = new HttpStubServer((context, _) => HttpStubServer.WriteAsync(context, 503, Unavailable, "application/problem+json", ("Retry-After", "0")));
        await using var client = new CompassCiHttpClient(With(stub));

        var refused = await Assert.ThrowsAsync<CompassCiException>(() => client.CancelAsync("12", TestContext.Current.CancellationToken));

        Assert.Equal(503, refused.Status);
        Assert.Equal("the database is down", refused.Message);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task A_submit_without_submit_id_is_sent_once_and_one_with_it_is_retried_until_it_lands()
    {
        await using var stub = new HttpStubServer((context, number) => number <= 2
            ? HttpStubServer.WriteAsync(context, 503, Unavailable, "application/problem+json")
            : HttpStubServer.WriteAsync(context, 201, Job));
        await using var client = new CompassCiHttpClient(With(stub));

        var once = await Assert.ThrowsAsync<CompassCiException>(() => client.SubmitAsync(new JobSubmission("""{"suite":"ebizzy"}"""), TestContext.Current.CancellationToken));
        Assert.Equal(503, once.Status);
        Assert.Single(stub.Requests);

        // Request 2 is a 503 again, request 3 the job: the submit with a submit_id gets there.
        var landed = await client.SubmitAsync(new JobSubmission("""{"suite":"ebizzy","submit_id":"s-1"}"""), TestContext.Current.CancellationToken);
        Assert.Equal(SubmitStatus.Created, landed.Status);
        Assert.Equal("12", Assert.Single(landed.Jobs).Id);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task A_read_is_retried_through_a_dropped_connection_and_a_502_and_a_404_is_null()
    {
        await using var stub = new HttpStubServer(async (context, number) =>
        {
            switch (number)
            {
                case 1:
                    // The connection dies in the middle of the answer.
                    context.Response.StatusCode = 200;
                    context.Response.ContentLength64 = Job.Length;
                    await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(Job[..10]));
                    await context.Response.OutputStream.FlushAsync();
                    context.Response.Abort();
                    break;
                case 2:
                    await HttpStubServer.WriteAsync(context, 502, "<html>bad gateway</html>", "text/html");
                    break;
                case 3:
                    await HttpStubServer.WriteAsync(context, 200, Job);
                    break;
                default:
                    await HttpStubServer.WriteAsync(context, 404, """{"title":"Not found.","status":404,"detail":"id: no job has the id '13'","errors":{"id":["no job has the id '13'"]}}""", "application/problem+json");
                    break;
            }
        });
        await using var client = new CompassCiHttpClient(With(stub));

        var job = await client.GetJobAsync("12", TestContext.Current.CancellationToken);
        Assert.Equal(("12", "submit", "me"), (job?.Id, job?.Stage, job?.Account));
        Assert.Equal(3, stub.Requests.Count);
        Assert.Null(await client.GetJobAsync("13", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_watch_reconnects_after_a_cut_with_the_last_event_id_and_sees_each_event_once()
    {
        await using var stub = new HttpStubServer(async (context, number) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/event-stream";
            context.Response.SendChunked = true;
            var resumeAfter = int.Parse(context.Request.Headers["Last-Event-ID"] ?? "0", CultureInfo.InvariantCulture);
            var output = context.Response.OutputStream;
            // Connection 1 sends events 1 and 2 and half of 3, then dies; connection 2 sends from after the id it was given.
            var last = number == 1 ? 2 : 5;
            for (var id = resumeAfter + 1; id <= last; id++)
            {
                await output.WriteAsync(Encoding.UTF8.GetBytes(": waiting\n\n" + Event(id)));
                await output.FlushAsync();
            }

            if (number == 1)
            {
                await output.WriteAsync(Encoding.UTF8.GetBytes("id: 3\nevent: stage\ndata: {\"id\":\"3\",\"jo"));
                await output.FlushAsync();
                context.Response.Abort();
                return;
            }

            // Then nothing more: the watch waits until the test has seen enough and cancels.
            await Task.Delay(Timeout.Infinite, TestContext.Current.CancellationToken);
        });
        await using var client = new CompassCiHttpClient(With(stub));
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var seen = new List<JobEvent>();
        try
        {
            await foreach (var change in client.WatchJobAsync("12", cancellationToken: enough.Token))
            {
                seen.Add(change);
                if (seen.Count == 5)
                {
                    await enough.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (enough.IsCancellationRequested)
        {
            // Cancelled after the fifth event, as a watcher that has seen enough leaves.
        }

        Assert.Equal(["1", "2", "3", "4", "5"], seen.Select(e => e.Id));
        Assert.All(seen, e => Assert.Equal(("12", JobEventTypes.Stage), (e.JobId, e.Type)));
        Assert.Equal("running", seen[2].Stage);
        var connections = stub.Requests.ToList();
        Assert.Equal(2, connections.Count);
        Assert.Null(connections[0].Headers["Last-Event-ID"]);
        Assert.Equal("2", connections[1].Headers["Last-Event-ID"]);
    }

    [Fact]
    public async Task A_watch_of_an_unknown_job_throws_not_found_at_once()
    {
        await using var stub = new HttpStubServer((context, _) => HttpStubServer.WriteAsync(context, 404, """{"title":"Not found.","status":404,"detail":"id: no job has the id '99'","errors":{"id":["no job has the id '99'"]}}""", "application/problem+json"));
        await using var client = new CompassCiHttpClient(With(stub));

        var refused = await Assert.ThrowsAsync<CompassCiException>(async () =>
        {
            await foreach (var unused in client.WatchJobAsync("99", cancellationToken: TestContext.Current.CancellationToken))
            {
                Assert.Fail($"no event expected, got {unused}");
            }
        });
        Assert.True(refused.IsNotFound);
        Assert.Equal(["no job has the id '99'"], refused.Errors["id"]);
        Assert.Single(stub.Requests);
    }

    private static string Event(int id) =>
        $"id: {id}\nevent: stage\ndata: {{\"id\":\"{id}\",\"job_id\":\"12\",\"event\":\"stage\",\"job_stage\":\"running\",\"job_health\":null,\"time\":\"2026-12-02T05:00:00.000+00:00\",\"detail\":{{\"stage\":\"running\"}}}}\n\n";

    private static CompassCiHttpOptions With(HttpStubServer stub) => new()
    {
        BaseAddress = stub.BaseAddress,
        AttemptTimeout = Quick.AttemptTimeout,
        TotalBudget = Quick.TotalBudget,
        BaseDelay = Quick.BaseDelay,
        MaxDelay = Quick.MaxDelay,
        WatchIdleTimeout = Quick.WatchIdleTimeout,
    };
}
