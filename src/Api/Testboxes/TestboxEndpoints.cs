using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Dispatch;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Testboxes;
using CompassCi.Grains.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
        JobDispatcher dispatcher,
        QuarantinedHosts quarantined,
        TestboxSightings sightings,
        IGrainFactory grains,
        TimeProvider clock,
        IOptions<ApiOptions> options,
        TokenKey tokenKey,
        ILoggerFactory loggers,
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

        // A testbox always offers its own name, and the tbox_group its name implies unless it says otherwise.
        var offered = new Dictionary<string, string>(body.Tags, StringComparer.Ordinal);
        if (offered.TryGetValue("testbox", out var named) && named != testbox)
        {
            return Problems.Field("tags.testbox", $"'{named}' differs from the testbox in the path, '{testbox}'");
        }

        offered["testbox"] = testbox;
        offered.TryAdd("tbox_group", TboxGroup.FromTestbox(testbox));
        // And the tbox_type its group implies, by the rule that stamps it on a job of that group at submit.
        offered.TryAdd(TboxType.Field, TboxType.Of(offered["tbox_group"]));

        var leaseId = body.RequestId ?? Guid.NewGuid().ToString("N");
        var host = HostName.Of(testbox, body.Host);
        var now = clock.GetUtcNow();
        var tagsJson = new System.Text.Json.Nodes.JsonObject(offered.Select(t => KeyValuePair.Create(t.Key, (System.Text.Json.Nodes.JsonNode?)t.Value))).ToJsonString();
        sightings.Record(new TestboxSighting(testbox, host, tagsJson, body.MemoryMb == long.MaxValue ? null : body.MemoryMb, now.ToUnixTimeMilliseconds(), (now + TimeSpan.FromSeconds(body.WaitSeconds)).ToUnixTimeMilliseconds()));
        var gate = await quarantined.GateAsync(host);
        if (gate.Quarantined)
        {
            return await QuarantinedAsync(testbox, host, leaseId, gate, context, grains, tokenKey, loggers);
        }

        var request = new ConsumeRequest(testbox, offered, body.MemoryMb, leaseId, body.RequestId is not null, TimeSpan.FromSeconds(body.WaitSeconds), host);
        ConsumeOutcome taken;
        using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(aborted, lifetime.ApplicationStopping);
        try
        {
            taken = await dispatcher.ConsumeAsync(request, waitEnds.Token);
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

        if (taken.Job is not { } job)
        {
            return Results.NoContent();
        }

        // The box no longer waits (only the registry's "requesting" state depends on this).
        sightings.Record(new TestboxSighting(testbox, null, null, null, clock.GetUtcNow().ToUnixTimeMilliseconds(), null));

        return new HandOverResult(job, Tokens.JobSecret(await tokenKey.GetAsync(), job.Id, job.LeaseId ?? leaseId), async () =>
        {
            // The answer could not reach the testbox: give the job back rather than leave it held by nobody.
            // Fenced on this request's attempt: if a retry of the request has answered the job since, it stays held.
            var released = await grains.GetGrain<IJobGrain>(JobEndpoints.Key(job.Id)).Release(testbox, leaseId, taken.Attempt);
            loggers.CreateLogger(typeof(TestboxEndpoints)).LogInformation(
                "Job {JobId}: testbox {Testbox} hung up before the answer reached it; back in its queue: {Released} (not when a retry of the request has it)", job.Id, testbox, released);
        });
    }

    /// <summary>
    /// A testbox of a quarantined host gets no work, except its host's health-check job, assigned straight from the
    /// job (not through the queues, where any free testbox of the group could take it).
    /// </summary>
    private static async Task<IResult> QuarantinedAsync(string testbox, string host, string leaseId, HostGate gate, HttpContext context, IGrainFactory grains, TokenKey tokenKey, ILoggerFactory loggers)
    {
        if (gate.HealthCheckJobId is { } check)
        {
            var outcome = await grains.GetGrain<IJobGrain>(JobEndpoints.Key(check)).Assign(testbox, leaseId, 0, host);
            if (outcome.Job is { } job)
            {
                await grains.GetGrain<IQueueGrain>(job.QueueKey).Remove(job.Id);
                return new HandOverResult(job, Tokens.JobSecret(await tokenKey.GetAsync(), job.Id, job.LeaseId ?? leaseId), async () =>
                {
                    var released = await grains.GetGrain<IJobGrain>(JobEndpoints.Key(job.Id)).Release(testbox, leaseId, 0);
                    loggers.CreateLogger(typeof(TestboxEndpoints)).LogInformation("Health-check job {JobId} returned: testbox {Testbox} hung up (released: {Released})", job.Id, testbox, released);
                });
            }
        }

        context.Response.Headers.RetryAfter = "60";
        context.Response.Headers["X-CompassCi-Quarantined"] = $"host {host}: {gate.Reason}";
        return Results.NoContent();
    }

    /// <summary>
    /// Writes the job with its secret (derived from the lease, so a retry of the same request_id answers the same one);
    /// if the client is gone, runs the give-back instead of losing the job.
    /// </summary>
    private sealed class HandOverResult(JobRecord job, string jobSecret, Func<Task> giveBack) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                await giveBack();
                return;
            }

            try
            {
                await Results.Json(JobJson.RenderForTestbox(job, jobSecret)).ExecuteAsync(httpContext);
                await httpContext.Response.CompleteAsync();
            }
            catch (Exception) when (httpContext.RequestAborted.IsCancellationRequested)
            {
                await giveBack();
            }
        }
    }
}
