using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;

namespace CompassCi.Api.Auth;

/// <summary>
/// <c>GET /api/v1/jobs/{id}/secrets</c>: the job's own <c>secrets</c> map (compass-ci's), which no other job read shows.
/// Who may read it is <see cref="AccessRule.JobSecrets"/>: its owner, operators, the job's own secret.
/// </summary>
public static class JobSecretEndpoints
{
    public static IEndpointRouteBuilder MapJobSecretEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/jobs/{id}/secrets", GetAsync)
            .WithTags("Jobs")
            .WithSummary("The job's secrets map, to its owner account, an operator or the job's own secret; {} when it has none.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains)
    {
        if (!JobEndpoints.TryParseId(id, out var jobId) || await grains.GetGrain<IJobGrain>(JobEndpoints.Key(jobId)).Get() is not { } job)
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        var secrets = (JsonNode.Parse(job.Document) as JsonObject)?[JobJson.SecretsField]?.DeepClone() ?? new JsonObject();
        return Results.Json(new JsonObject { ["id"] = JobEndpoints.Key(jobId), [JobJson.SecretsField] = secrets });
    }
}
