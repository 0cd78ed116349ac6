using System.Text.Json.Nodes;
using CompassCi.Api.Auth;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Compat.Submit;
using CompassCi.Grains.Results;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Submit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Compat;

/// <summary>
/// compass-ci's <c>POST /submit_job</c> (and <c>/scheduler/submit_job</c>), as lkp-tests' <c>sbin/submit</c> calls it: the
/// body is one expanded job as JSON (whatever the Content-Type: rest-client sends form-encoded), submitted through the
/// one submit path, <see cref="JobSubmitter"/>. The answer is compass-ci's (<c>src/scheduler/auto_depend_submit_job.cr</c>):
/// <c>[{"job_id", "message": "", "job_state": "submit", "result_root": "/srv/result/…"}]</c>, one element per job created
/// (a cluster job: one per node); a refusal is HTTP 202 with <c>[{"job_id": "0", "message", "error_message",
/// "job_state": "submit"}]</c>, and nothing is stored.
/// </summary>
public static class SubmitJobEndpoints
{
    public static IEndpointRouteBuilder MapSubmitJobEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var pattern in new[] { "/submit_job", "/scheduler/submit_job" })
        {
            app.MapPost(pattern, SubmitAsync)
                .WithTags("Compat")
                .WithSummary("compass-ci's submit: one lkp job as JSON (as lkp-tests' sbin/submit sends it), account checked by my_account/my_token/my_email.")
                .Produces<JsonArray>()
                .Produces<JsonArray>(StatusCodes.Status202Accepted)
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        }

        return app;
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request,
        JobSubmitter submitter,
        AccessMode access,
        CallerResolver callers,
        AccountStore accounts,
        ResultFiles files,
        IOptions<ApiOptions> options,
        ILogger<JobSubmitter> logger,
        CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await RequestBody.ReadAsync(request, options.Value.MaxSubmitJobBodyBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        // compass-ci parses the body as JSON whatever its Content-Type says (null here: JSON).
        var parsed = JobDocumentReader.ReadObject(body, null, "one job");
        if (parsed.Document is not { } document)
        {
            return Refused(parsed.Errors);
        }

        var (caller, refusal) = await new CompassAccountCheck(access, callers, accounts).CheckAsync(document);
        if (caller is null)
        {
            return Refused(refusal!, refusal!);
        }

        // As compass-ci's delete_account_info: the account's email and name are not kept in the job (the token never is).
        document.Remove("my_email");
        document.Remove("my_name");
        document.Remove("my_uuid");

        var (packages, packageErrors) = LkpPackages.Take(document, files.Root);
        if (packageErrors.Count > 0)
        {
            return Refused(packageErrors);
        }

        // Kept before the submit, so a stored job never names a package that is missing. A job refused below leaves
        // only this file behind, named by its md5: the next submit of the same client reuses it.
        await LkpPackages.KeepAsync(packages, files.Root, cancellationToken);

        using var scope = SubmitLogScope.Begin(logger, document);
        var outcome = await submitter.SubmitAsync(document, submitIdIsKey: false);
        if (outcome.Status != SubmitStatus.Created)
        {
            return Refused(outcome.Errors);
        }

        var answer = new JsonArray();
        foreach (var (job, _) in outcome.Jobs)
        {
            answer.Add(new JsonObject
            {
                ["job_id"] = job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["message"] = "",
                ["job_state"] = "submit",
                // compass-ci answers the path on its server (/srv holds the result tree).
                ["result_root"] = "/srv" + job.ResultRoot,
            });
        }

        return Results.Text(answer.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }

    private static IResult Refused(IReadOnlyDictionary<string, string[]> errors)
    {
        var lines = errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).ToList();
        return Refused(string.Join('\n', lines), string.Join('\n', lines));
    }

    /// <summary>compass-ci's refusal: 202 and one element with job_id "0"; <c>message</c> is what lkp's submit prints.</summary>
    private static IResult Refused(string message, string detail)
    {
        var answer = new JsonArray(new JsonObject
        {
            ["job_id"] = "0",
            ["message"] = message,
            ["error_message"] = detail,
            ["job_state"] = "submit",
        });
        return Results.Text(answer.ToJsonString(), "application/json", statusCode: StatusCodes.Status202Accepted);
    }
}
