using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Grains.Storage;

namespace CompassCi.Api.Jobs;

/// <summary>What extraction found for a job: <c>/api/v1/jobs/{id}/stats</c>.</summary>
public static class JobStatsEndpoints
{
    public static IEndpointRouteBuilder MapJobStatsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/jobs/{id}/stats", GetAsync)
            .WithTags("Results")
            .WithSummary("A job's stats (null until extracted, or when nothing was uploaded), errid, new_errids and job_data_readiness.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, JobResultsStore results)
    {
        if (!JobEndpoints.TryParseId(id, out var jobId) || await results.GetAsync(jobId) is not { } stored)
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        return Results.Json(new JsonObject
        {
            ["id"] = id,
            ["job_data_readiness"] = stored.DataReadiness,
            ["stats"] = Parse(stored.Stats),
            ["errid"] = Parse(stored.Errid),
            ["new_errids"] = Parse(stored.NewErrids),
        });
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
