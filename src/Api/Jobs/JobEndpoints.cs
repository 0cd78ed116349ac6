using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Api.Auth;
using CompassCi.Api.Http;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Submit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Jobs;

/// <summary>Submit, read and list jobs: <c>/api/v1/jobs</c>.</summary>
public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs");
        jobs.MapPost("", SubmitAsync)
            .WithSummary("Submit one lkp job (JSON, or YAML with Content-Type: application/yaml); with submit_id, a repeat answers 200 and the job created the first time. With expand=true the body is an lkp job file (several documents, arrays, if role sections), expanded as lkp's submit does, overrides as repeated set=key=value; the answer is {\"jobs\": [each job]}, and submit_id becomes <submit_id>.<n> per job; an ERB snippet is a 400 naming its line and key.")
            .Produces<JsonObject>(StatusCodes.Status201Created)
            .Produces<JsonObject>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        jobs.MapGet("/{id}", GetAsync)
            .WithSummary("One job.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("", ListAsync)
            .WithSummary("A page of jobs, newest first; pass next as after for the following page. Filters: job_stage, my_account, suite, tbox_group, testbox, errid (extraction found it), stat with optional min and max (the stat's value within them).")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request,
        JobSubmitter submitter,
        AccessMode access,
        CallerResolver callers,
        IOptions<ApiOptions> options,
        IOptions<QuotaOptions> quotas,
        ILogger<JobSubmitter> logger,
        CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        // ?expand=true: the body is an lkp job file, expanded into its jobs (JobFileEndpoints).
        var (expand, expandProblem) = JobFileEndpoints.Asks(request);
        if (expandProblem is not null || expand)
        {
            return expandProblem ?? await JobFileEndpoints.SubmitAsync(request, body, submitter, access, callers, quotas.Value.RetryAfterSeconds);
        }

        var parsed = JobDocumentReader.ReadObject(body, request.ContentType, "one job");
        if (parsed.Document is not { } document)
        {
            return Problems.Invalid(parsed.Errors, parsed.Errors.ContainsKey(JobDocumentReader.ContentTypeField) ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status400BadRequest);
        }

        if (await access.IsClosedAsync() && await SubmitterAsync(request, document, callers) is { } refusal)
        {
            return refusal;
        }

        using var scope = SubmitLogScope.Begin(logger, document);
        var outcome = await submitter.SubmitAsync(document);
        return outcome.Status switch
        {
            SubmitStatus.Created => Answer(outcome, StatusCodes.Status201Created),
            SubmitStatus.AlreadySubmitted => Answer(outcome, StatusCodes.Status200OK),
            SubmitStatus.SubmitIdConflict => Problems.Invalid(outcome.Errors, StatusCodes.Status409Conflict),
            SubmitStatus.QuotaExceeded => QuotaExceeded(request.HttpContext, outcome, quotas.Value.RetryAfterSeconds),
            _ => Problems.Invalid(outcome.Errors, outcome.IsUnsupportedContentType ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status400BadRequest),
        };
    }

    /// <summary>The submit's answer: one job written straight from its document; a multi-node job as <see cref="Render"/> builds it.</summary>
    private static IResult Answer(SubmitOutcome outcome, int status)
    {
        if (outcome.Jobs is not [var (job, document)] || job.ClusterId is not null)
        {
            return Results.Json(Render(outcome), statusCode: status);
        }

        return new WrittenResult(http => JobJsonWriter.RespondAsync(http, status, body => JobJsonWriter.WriteSubmitted(body, job, document, outcome.Warnings)));
    }

    /// <summary>429: the account's queued jobs are at its hard limit. Worth trying again once some of them have started.</summary>
    private static IResult QuotaExceeded(HttpContext context, SubmitOutcome outcome, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Invalid(outcome.Errors, StatusCodes.Status429TooManyRequests);
    }

    /// <summary>
    /// Checks who submits (once open mode has ended): the caller the access check found, or, with no Authorization
    /// header, the <c>my_token</c> compass-ci clients put in the job. An account submits only for itself; an absent
    /// <c>my_account</c> is filled in. Null when the submit may go on.
    /// </summary>
    internal static async Task<IResult?> SubmitterAsync(HttpRequest request, JsonObject document, CallerResolver callers)
    {
        var caller = Caller.Of(request.HttpContext);
        if (caller.Kind == CallerKind.Anonymous && document["my_token"] is { } tokenNode)
        {
            var token = tokenNode.GetValueKind() == System.Text.Json.JsonValueKind.String ? tokenNode.GetValue<string>() : "";
            var (resolved, problem) = await callers.ResolveAsync(token);
            if (resolved is null)
            {
                return AuthProblems.Refuse(AccessDecision.Unauthenticated($"my_token: {problem}"));
            }

            caller = resolved;
        }

        var myAccount = document["my_account"] is { } accountNode && accountNode.GetValueKind() == System.Text.Json.JsonValueKind.String ? accountNode.GetValue<string>() : null;
        var (decision, account) = AccessRules.DecideSubmit(caller, myAccount);
        if (!decision.Allowed)
        {
            return AuthProblems.Refuse(decision);
        }

        if (account is not null)
        {
            document["my_account"] = account;
        }

        return null;
    }

    /// <summary>
    /// The first job (for a multi-node job, the first node job, whose id is the cluster id, with <c>jobs</c>: every node
    /// job), and <c>warnings</c> when there are any.
    /// </summary>
    internal static JsonObject Render(SubmitOutcome outcome)
    {
        var rendered = outcome.Jobs.Select(j => JobJson.Render(j.Job, j.Document)).ToList();
        var isCluster = outcome.Jobs[0].Job.ClusterId is not null;
        var answer = isCluster ? (JsonObject)rendered[0].DeepClone() : rendered[0];
        if (isCluster)
        {
            answer["jobs"] = new JsonArray([.. rendered]);
        }

        if (outcome.Warnings.Count > 0)
        {
            answer[JobJsonWriter.WarningsField] = new JsonArray([.. outcome.Warnings.Select(w => (JsonNode)w)]);
        }

        return answer;
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains, JobResultsStore results)
    {
        if (!TryParseId(id, out var jobId))
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        var job = await grains.GetGrain<IJobGrain>(Key(jobId)).Get();
        if (job is null)
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        var json = JobJson.Render(job);
        // Kept outside the job's versioned row (uploads set it), so read from its column.
        json["job_data_readiness"] = await results.ReadinessAsync(jobId);
        return Results.Json(json);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, JobQueries queries)
    {
        // An account lists its own jobs only, whatever my_account it asks for.
        var caller = Caller.Of(request.HttpContext);
        var ownAccount = caller.Kind == CallerKind.Account ? caller.Account : null;
        var q = request.Query;
        var errors = new Dictionary<string, string[]>();
        string? Text(string name)
        {
            var value = q[name].ToString();
            return string.IsNullOrEmpty(value) ? null : value;
        }

        var stage = Text("job_stage");
        if (stage is not null && !JobStages.All.Contains(stage))
        {
            errors["job_stage"] = [$"'{stage}' is not a stage; use one of {string.Join(", ", JobStages.All)}"];
        }

        var limit = 100;
        if (Text("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 1000))
        {
            errors["limit"] = [$"'{limitText}' is not a whole number from 1 to 1000"];
        }

        long? before = null;
        if (Text("after") is { } cursor)
        {
            if (JobPageCursor.TryDecode(cursor, out var last))
            {
                before = last;
            }
            else
            {
                errors["after"] = [JobPageCursor.InvalidMessage];
            }
        }

        var stat = Text("stat");
        if (stat is not null && stat.Any(c => c is '"' or '\\' || char.IsControl(c)))
        {
            errors["stat"] = ["a stat name has no quote, backslash or control character"];
        }

        double? Number(string name)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (stat is null)
            {
                errors[name] = [$"is a bound of a stat's value; give the stat's name as stat"];
            }
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            {
                errors[name] = [$"'{text}' is not a number"];
            }
            else
            {
                return number;
            }

            return null;
        }

        var min = Number("min");
        var max = Number("max");
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var page = await queries.ListAsync(new JobQuery(stage, ownAccount ?? Text("my_account"), Text("suite"), Text("tbox_group"), Text("testbox"), before, limit, Text("errid"), stat, min, max));
        var items = new JsonArray([.. page.Select(j => (JsonNode)JobJson.Render(j))]);
        var next = page.Count == limit ? JobPageCursor.Encode(page[^1].Id) : null;
        return Results.Json(new JsonObject { ["jobs"] = items, ["next"] = next });
    }

    internal static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    internal static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
}
