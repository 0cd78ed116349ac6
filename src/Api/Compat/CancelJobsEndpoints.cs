using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Auth;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Submit;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Compat;

/// <summary>
/// compass-ci's <c>POST /cancel_jobs</c> (<c>src/scheduler/cancel_jobs.cr</c>): <c>{my_email, my_name, my_token, my_account,
/// job_ids: […]}</c>, account checked as a submit is. Each job is answered <c>success</c> (it was waiting and is now
/// cancelled, through the job's own cancel), <c>failed</c> (no such job), <c>forbidden</c> (another account's) or
/// <c>unsupported</c> (no longer waiting: compass-ci cancels only jobs in stage submit):
/// <c>{"results": [{"result", "job_id", "message"}]}</c>. A request it cannot act on at all is 202 <c>{"error_msg"}</c>.
/// A <c>query</c> instead of <c>job_ids</c> (compass-ci searches its job index) is answered <c>unsupported</c>.
/// </summary>
public static class CancelJobsEndpoints
{
    public static IEndpointRouteBuilder MapCancelJobsEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var pattern in new[] { "/cancel_jobs", "/scheduler/cancel_jobs" })
        {
            app.MapPost(pattern, CancelAsync)
                .WithTags("Compat")
                .WithSummary("compass-ci's cancel of waiting jobs by id, account checked by my_account/my_token/my_email.")
                .Produces<JsonObject>()
                .Produces<JsonObject>(StatusCodes.Status202Accepted);
        }

        return app;
    }

    private static async Task<IResult> CancelAsync(
        HttpRequest request,
        IGrainFactory grains,
        AccessMode access,
        CallerResolver callers,
        AccountStore accounts,
        IOptions<ApiOptions> options,
        CancellationToken cancellationToken)
    {
        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var parsed = JobDocumentReader.ReadObject(bytes, null, "the jobs to cancel");
        if (parsed.Document is not { } body)
        {
            return Refused(string.Join("; ", parsed.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        var (caller, refusal) = await new CompassAccountCheck(access, callers, accounts).CheckAsync(body);
        if (caller is null)
        {
            return Refused(refusal!);
        }

        var jobIds = body["job_ids"];
        if (jobIds is null && body["query"] is not null)
        {
            return Answer([Result("unsupported", "", "cancelling by query is not supported here; name the jobs in job_ids")]);
        }

        if (jobIds is not JsonArray list)
        {
            return Refused(jobIds is null ? "Missing required key: 'job_ids' or 'query'" : "job_ids: must be a list of job ids");
        }

        // Whose jobs may go: an account's own (in open mode, those of the my_account named, when one is); the admin's, all.
        var actingAccount = caller.Kind switch
        {
            CallerKind.Account => caller.Account,
            CallerKind.Admin => null,
            _ => body["my_account"] is JsonValue named && named.GetValueKind() == JsonValueKind.String ? named.GetValue<string>() : null,
        };

        var results = new List<JsonObject>();
        foreach (var node in list)
        {
            results.Add(await CancelOneAsync(node, actingAccount, grains));
        }

        return Answer(results);
    }

    private static async Task<JsonObject> CancelOneAsync(JsonNode? node, string? actingAccount, IGrainFactory grains)
    {
        var text = node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            _ => node?.ToJsonString() ?? "null",
        };
        if (!JobEndpoints.TryParseId(text, out var id))
        {
            return Result("failed", text, "no job has this id");
        }

        var grain = grains.GetGrain<IJobGrain>(JobEndpoints.Key(id));
        var job = await grain.Get();
        if (job is null)
        {
            return Result("failed", text, "no job has this id");
        }

        if (actingAccount is not null && job.Account != actingAccount)
        {
            return Result("forbidden", text, "can only cancel the job submitted by yourself");
        }

        if (job.Stage != JobStages.Submit)
        {
            return Result("unsupported", text, "only jobs whose job_stage is submit can be cancelled");
        }

        var outcome = await grain.Cancel();
        return outcome switch
        {
            { Job: { Stage: JobStages.Submit } or { Health: "cancel" } } => Result("success", text, ""),
            // Taken by a testbox between the read and the cancel: it is told to abort.
            { Job: { CancelRequested: true } } => Result("success", text, "a testbox took the job meanwhile; it is told to abort"),
            _ => Result("unsupported", text, outcome.Conflict ?? "only jobs whose job_stage is submit can be cancelled"),
        };
    }

    private static JsonObject Result(string result, string jobId, string message) =>
        new() { ["result"] = result, ["job_id"] = jobId, ["message"] = message };

    private static IResult Answer(IEnumerable<JsonObject> results) =>
        Results.Text(new JsonObject { ["results"] = new JsonArray([.. results]) }.ToJsonString(), "application/json");

    private static IResult Refused(string message) =>
        Results.Text(new JsonObject { ["error_msg"] = message }.ToJsonString(), "application/json", statusCode: StatusCodes.Status202Accepted);
}
