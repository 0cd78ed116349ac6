using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Dispatch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Testboxes;

/// <summary>Testboxes asking for work: <c>/api/v1/testboxes/{testbox}/consume</c>.</summary>
public static class TestboxEndpoints
{
    public static IEndpointRouteBuilder MapTestboxEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/testboxes/{testbox}/consume", ConsumeAsync)
            .WithTags("Testboxes")
            .WithSummary("Take the best pending job whose tags the testbox offers and whose memory fits; 204 when none arrives within wait_seconds.")
            .Produces<System.Text.Json.Nodes.JsonObject>()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> ConsumeAsync(
        string testbox,
        HttpContext context,
        TestboxConsumer consumer,
        IOptions<ApiOptions> options,
        IHostApplicationLifetime lifetime)
    {
        if (TestboxName.Problem(testbox) is { } badName)
        {
            return badName;
        }

        var aborted = context.RequestAborted;
        var o = options.Value;
        var (bytes, tooLarge) = await RequestBody.ReadAsync(context.Request, o.MaxBodyBytes, aborted);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var (body, errors) = ConsumeBody.Parse(bytes, o.DefaultWaitSeconds, o.MaxWaitSeconds);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        // A testbox always offers its own name, and the tbox_group (and tbox_type) its name implies.
        var (offered, otherTestbox) = TestboxOffer.For(testbox, body.Tags);
        if (offered is null)
        {
            return Problems.Field("tags.testbox", otherTestbox!);
        }

        ConsumeAnswer answer;
        using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(aborted, lifetime.ApplicationStopping);
        try
        {
            answer = await consumer.TakeAsync(testbox, offered, body.MemoryMb, body.RequestId, body.Host, TimeSpan.FromSeconds(body.WaitSeconds), waitEnds.Token);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The testbox hung up while waiting: it took nothing.
            return Results.Empty;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // This silo is stopping: end the wait now (nothing was taken) so the testbox asks another silo
            // instead of holding the shutdown for up to the whole wait.
            context.Response.Headers.RetryAfter = "1";
            return Results.NoContent();
        }

        if (answer.Job is { } handOver)
        {
            return new HandOverResult(handOver, http => JobJsonWriter.RespondAsync(http, StatusCodes.Status200OK, body => JobJsonWriter.WriteForTestbox(body, handOver.Job, handOver.JobSecret)));
        }

        if (answer.Quarantine is { } gate)
        {
            context.Response.Headers.RetryAfter = "60";
            context.Response.Headers["X-CompassCi-Quarantined"] = $"host {answer.Host}: {gate.Reason}";
        }

        return Results.NoContent();
    }
}
