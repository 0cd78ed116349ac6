using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Jobs;

/// <summary>
/// A running job's updates: <c>/api/v1/jobs/{id}/stage</c>, <c>/finish</c> and its history, <c>/events</c>.
/// Every change goes through the one transition table; an illegal change is a 409 that names the current stage.
/// These endpoints speak for the testbox holding the job (<see cref="StageMover.Holder"/>): a stage only the scheduler
/// enters (<c>boot</c>) is a 400, and a move that is not the holder's (running a job no testbox took) a 409.
/// </summary>
public static class JobLifecycleEndpoints
{
    public static IEndpointRouteBuilder MapJobLifecycleEndpoints(this IEndpointRouteBuilder app)
    {
        var job = app.MapGroup("/api/v1/jobs/{id}").WithTags("Jobs");
        job.MapPost("/stage", ChangeStageAsync)
            .WithSummary("Move a held job to its next stage: {\"stage\": \"running\", \"testbox\": \"…\"}; {\"stage\": \"submit\"} gives an unconfirmed job back to its queue at once.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        job.MapPost("/finish", FinishAsync)
            .WithSummary("End a held job: {\"health\": \"success\"} or {\"health\": \"crash\", \"crash\": {\"notify\", \"cause\", \"fatal\", \"keyvals\"}}.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        job.MapPost("/renew", RenewAsync)
            .WithSummary("Extend a running job's deadline: {\"seconds\": 3600}; answers the job with its new deadline.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        job.MapPost("/cancel", CancelAsync)
            .WithSummary("Cancel a job: a pending one ends at once; a held one is marked and its testbox told to abort.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        job.MapGet("/events", EventsAsync)
            .WithSummary("The job's history, oldest first.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ChangeStageAsync(string id, HttpRequest request, IGrainFactory grains, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>();
        var stage = Text(body, "stage", errors, required: true);
        var testbox = Text(body, "testbox", errors, required: false);
        if (stage is not null && JobUpdateRequests.StageError(stage) is { } stageError)
        {
            errors["stage"] = [stageError];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return await UpdateAsync(id, grains, job => job.ChangeStage(stage!, testbox));
    }

    private static async Task<IResult> FinishAsync(string id, HttpRequest request, IGrainFactory grains, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>();
        var health = Text(body, "health", errors, required: true);
        var testbox = Text(body, "testbox", errors, required: false);
        if (health is not null && JobUpdateRequests.HealthError(health) is { } healthError)
        {
            errors["health"] = [healthError];
        }

        var crash = CrashReportReader.Read(body["crash"]);
        foreach (var (field, messages) in crash.Errors)
        {
            errors[field] = messages;
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var normalised = JobUpdateRequests.NormaliseHealth(health!);
        var report = JobUpdateRequests.CrashFor(normalised, crash.Report);
        return await UpdateAsync(id, grains, job => job.Finish(normalised, report, testbox));
    }

    private static async Task<IResult> RenewAsync(string id, HttpRequest request, IGrainFactory grains, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>();
        var testbox = Text(body, "testbox", errors, required: false);
        var seconds = 0;
        if (body["seconds"] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue(out seconds) || !JobUpdateRequests.SecondsAllowed(seconds))
        {
            errors["seconds"] = [JobUpdateRequests.SecondsMessage];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return await UpdateAsync(id, grains, job => job.Renew(seconds, testbox));
    }

    private static Task<IResult> CancelAsync(string id, IGrainFactory grains) =>
        UpdateAsync(id, grains, job => job.Cancel());

    private static async Task<IResult> EventsAsync(string id, JobStore store)
    {
        if (!JobEndpoints.TryParseId(id, out var jobId) || await store.GetEventsAsync(jobId) is not { } events)
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        var list = JsonNode.Parse(events) as JsonArray ?? [];
        foreach (var entry in list)
        {
            if (entry?["time"] is JsonValue time && time.TryGetValue<long>(out var millis))
            {
                entry["time"] = JobJson.Time(millis);
            }
        }

        return Results.Json(new JsonObject { ["id"] = id, ["events"] = list });
    }

    /// <summary>Resolves the job id and answers the grain's outcome: 404 for an unknown job, 409 for a refusal.</summary>
    private static async Task<IResult> UpdateAsync(string id, IGrainFactory grains, Func<IJobGrain, Task<JobUpdateOutcome>> update)
    {
        if (!JobEndpoints.TryParseId(id, out var jobId))
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        return Answer(id, await update(grains.GetGrain<IJobGrain>(JobEndpoints.Key(jobId))));
    }

    private static IResult Answer(string id, JobUpdateOutcome outcome) => outcome switch
    {
        { NotFound: true } => Problems.NotFound("id", $"no job has the id '{id}'"),
        { Job: { } job } => Results.Json(JobJson.Render(job)),
        _ => Problems.Field(outcome.ConflictField ?? "job_stage", outcome.Conflict ?? "the change is not allowed now", StatusCodes.Status409Conflict),
    };

    private static string? Text(JsonObject body, string field, Dictionary<string, string[]> errors, bool required)
    {
        switch (body[field])
        {
            case null when required:
                errors[field] = ["is required"];
                return null;
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text:
                return text;
            default:
                errors[field] = ["must be a non-empty string"];
                return null;
        }
    }
}
