using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Results.Pipeline;
using CompassCi.Grains.Storage;

namespace CompassCi.Api.Pipeline;

/// <summary>The results pipelines of ended jobs: <c>/api/v1/pipeline</c> (which are failed or still pending) and a failed one's retry.</summary>
public static class PipelineEndpoints
{
    private static readonly string[] States = [StepStates.Failed, StepStates.Pending];

    public static IEndpointRouteBuilder MapPipelineEndpoints(this IEndpointRouteBuilder app)
    {
        var pipeline = app.MapGroup("/api/v1/pipeline").WithTags("Results");
        pipeline.MapGet("", ListAsync)
            .WithSummary("Jobs whose results pipeline failed (state=failed: the failed step, its attempts and last error) or has not ended (state=pending: the step it is at), newest first; pass next as before for the following page.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        pipeline.MapPost("/{job_id}/retry", RetryAsync)
            .WithSummary("Runs a job's failed results steps again, each with a fresh set of attempts (202); 409 when none failed.")
            .Produces<JsonObject>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ResultStepStore steps)
    {
        var q = request.Query;
        var errors = new Dictionary<string, string[]>();
        var state = q["state"].ToString();
        if (!States.Contains(state))
        {
            errors["state"] = [$"'{state}' is not a pipeline state to list; use failed or pending"];
        }

        var limit = 100;
        if (q["limit"].ToString() is { Length: > 0 } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 1000))
        {
            errors["limit"] = [$"'{limitText}' is not a whole number from 1 to 1000"];
        }

        long? before = null;
        if (q["before"].ToString() is { Length: > 0 } beforeText)
        {
            if (JobEndpoints.TryParseId(beforeText, out var id))
            {
                before = id;
            }
            else
            {
                errors["before"] = [$"'{beforeText}' is not a job id"];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var items = new JsonArray();
        long? last = null;
        if (state == StepStates.Failed)
        {
            foreach (var step in await steps.ListFailedAsync(before, limit))
            {
                items.Add(Render(step.JobId, step, null));
                last = step.JobId;
            }
        }
        else
        {
            foreach (var (jobId, since, effectError, current) in await steps.ListPendingAsync(before, limit))
            {
                var item = Render(jobId, current, effectError);
                item["since"] = JobJson.Time(since);
                items.Add(item);
                last = jobId;
            }
        }

        var next = items.Count == limit && last is { } lastId ? JobEndpoints.Key(lastId) : null;
        return Results.Json(new JsonObject { ["state"] = state, ["jobs"] = items, ["next"] = next });
    }

    private static async Task<IResult> RetryAsync(string job_id, IGrainFactory grains, JobResultsStore results)
    {
        if (!JobEndpoints.TryParseId(job_id, out var jobId) || await results.GetAsync(jobId) is null)
        {
            return Problems.NotFound("job_id", $"no job has the id '{job_id}'");
        }

        if (!await grains.GetGrain<IResultsGrain>(ResultsGrain.Key(jobId)).Retry())
        {
            return Problems.Field("job_id", $"job {job_id} has no failed results step to retry", StatusCodes.Status409Conflict);
        }

        return Results.Json(new JsonObject { ["job_id"] = job_id, ["retried"] = true }, statusCode: StatusCodes.Status202Accepted);
    }

    private static JsonObject Render(long jobId, ResultStep? step, string? effectError) => new()
    {
        ["job_id"] = JobEndpoints.Key(jobId),
        ["step"] = step?.Step,
        ["state"] = step?.State ?? StepStates.Pending,
        ["attempts"] = step?.Attempts ?? 0,
        ["last_error"] = step?.LastError ?? effectError,
        ["updated_at"] = step is null ? null : JobJson.Time(step.UpdatedAt),
    };
}
