using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Api.Testboxes;
using CompassCi.Grains.FairShare;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Scheduling;
using CompassCi.Grains.Storage;

namespace CompassCi.Api.Jobs;

/// <summary>
/// Questions about one job that operators ask first: why is it still waiting (<c>/why</c>), and which earlier jobs on
/// its host may have broken it (<c>/suspects</c>).
/// </summary>
public static class JobInsightEndpoints
{
    public static IEndpointRouteBuilder MapJobInsightEndpoints(this IEndpointRouteBuilder app)
    {
        var job = app.MapGroup("/api/v1/jobs/{id}").WithTags("Jobs");
        job.MapGet("/why", WhyAsync)
            .WithSummary("Why a pending job has not run, in plain words with numbers: no matching testbox (and the closest one), memory, quarantine, busy testboxes, the account's running cap, jobs ahead.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        job.MapGet("/suspects", SuspectsAsync)
            .WithSummary("Every other job that touched this job's host since the host's last wipe before it ended.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> WhyAsync(string id, JobStore jobs, JobQueries queries, TestboxRegistry registry, UsageLedger usage)
    {
        if (!JobEndpoints.TryParseId(id, out var jobId) || await jobs.GetAsync(jobId) is not { } job)
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        if (job.Stage != JobStages.Submit)
        {
            var where = job.Stage == JobStages.Finish ? $"it ended with health {job.Health}" : $"testbox {job.Testbox} holds it (stage {job.Stage})";
            return Results.Json(new JsonObject
            {
                ["id"] = id,
                ["job_stage"] = job.Stage,
                ["reasons"] = new JsonArray(new JsonObject { ["code"] = "not_waiting", ["message"] = $"The job is not waiting: {where}." }),
            });
        }

        var tags = JsonNode.Parse(job.Document) is JsonObject document && JobRequirementsReader.Read(document).Requirements is { } needs
            ? needs.Tags
            : new Dictionary<string, string>();
        var cap = usage.CapOf(job.Account) is { } held ? (job.Account, held.Held, held.Cap) : ((string, int, int)?)null;
        var reasons = WaitExplainer.Explain(tags, job.MemoryMb, await registry.SeenRecentlyAsync(fresh: true), await queries.CountAheadAsync(job), cap);
        return Results.Json(new JsonObject
        {
            ["id"] = id,
            ["job_stage"] = job.Stage,
            ["queue_key"] = job.QueueKey,
            ["reasons"] = new JsonArray([.. reasons.Select(r => (JsonNode)new JsonObject { ["code"] = r.Code, ["message"] = r.Message })]),
        });
    }

    private static async Task<IResult> SuspectsAsync(string id, JobStore jobs, HostStore hosts)
    {
        if (!JobEndpoints.TryParseId(id, out var jobId) || await jobs.GetAsync(jobId) is not { } job)
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        if (job is not { Host: { } host, BootTime: { } boot })
        {
            return Results.Json(new JsonObject { ["id"] = id, ["host"] = null, ["suspects"] = new JsonArray() });
        }

        // Only the latest wipe is kept: if it came after this job started, every earlier job on the host is a suspect.
        var wipedAt = (await hosts.GetAsync(host)).WipedAt ?? 0;
        var touched = await hosts.ListJobsSinceAsync(host, wipedAt <= boot ? wipedAt : 0);
        var self = new HostJob(job.Id, job.Testbox ?? string.Empty, boot, job.FinishTime, false, job.Health, null);
        return Results.Json(new JsonObject
        {
            ["id"] = id,
            ["host"] = host,
            ["host_lifecycle"] = job.HostLifecycle,
            ["suspects"] = new JsonArray([.. HostLifecycleFormat.Suspects(self, touched).Select(j => (JsonNode)RegistryEndpoints.HostJobJson(j))]),
        });
    }
}
