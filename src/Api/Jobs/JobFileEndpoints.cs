using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Auth;
using CompassCi.Api.Http;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.JobFiles;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Scheduling;
using CompassCi.Grains.Submit;

namespace CompassCi.Api.Jobs;

/// <summary>
/// <c>POST /api/v1/jobs?expand=true</c>: one lkp job file, expanded here as lkp's submit expands it
/// (<see cref="JobFileExpander"/>), overrides as repeated <c>set=key=value</c> parameters. Every expanded job is
/// checked before any is stored, so that a bad job stores nothing; then each goes through the one submit path,
/// <see cref="JobSubmitter"/>. A <c>submit_id</c> becomes <c>&lt;submit_id&gt;.&lt;n&gt;</c> for the n-th job, so
/// the whole file is safe to send again.
/// </summary>
internal static class JobFileEndpoints
{
    /// <summary>The query parameter that asks for expansion.</summary>
    public const string ExpandParameter = "expand";

    /// <summary>The query parameter of one override.</summary>
    public const string SetParameter = "set";

    /// <summary>
    /// Whether the submit asks for a job file to be expanded: <c>expand=true</c> yes, absent or <c>false</c> no; any
    /// other value is a 400 naming <c>expand</c>.
    /// </summary>
    public static (bool Expand, IResult? Problem) Asks(HttpRequest request)
    {
        var values = request.Query[ExpandParameter];
        return values.Count switch
        {
            0 => (false, null),
            1 when values[0] == "true" => (true, null),
            1 when values[0] == "false" => (false, null),
            _ => (false, Problems.Field(ExpandParameter, $"'{values}' is not true or false")),
        };
    }

    public static async Task<IResult> SubmitAsync(HttpRequest request, ReadOnlyMemory<byte> body, JobSubmitter submitter, AccessMode access, CallerResolver callers, int retryAfterSeconds)
    {
        var (text, bodyError) = JobFileBody.Decode(body, request.ContentType);
        if (bodyError is not null)
        {
            return Problems.Invalid(bodyError.Errors, bodyError.Errors.ContainsKey(JobDocumentReader.ContentTypeField) ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status400BadRequest);
        }

        var overrides = new List<JobFileOverride>();
        foreach (var setting in request.Query[SetParameter])
        {
            if (!JobFileOverride.TryParse(setting ?? string.Empty, out var parsed, out var error))
            {
                return Problems.Field(SetParameter, error);
            }

            overrides.Add(parsed);
        }

        var expansion = JobFileExpander.Expand(text!, overrides);
        if (expansion.Errors.Count > 0)
        {
            return Problems.Invalid(expansion.Errors);
        }

        var jobs = expansion.Jobs;
        DeriveSubmitIds(jobs);
        var closed = await access.IsClosedAsync();
        for (var i = 0; i < jobs.Count; i++)
        {
            if (closed && await JobEndpoints.SubmitterAsync(request, jobs[i], callers) is { } refusal)
            {
                return refusal;
            }

            if (Check(jobs[i]) is { Count: > 0 } errors)
            {
                return Problems.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.Select(m => $"job {i + 1} of {jobs.Count}: {m}").ToArray()));
            }
        }

        var answers = new JsonArray();
        var created = false;
        for (var i = 0; i < jobs.Count; i++)
        {
            var outcome = await submitter.SubmitAsync(jobs[i]);
            switch (outcome.Status)
            {
                case SubmitStatus.Created or SubmitStatus.AlreadySubmitted:
                    created |= outcome.Status == SubmitStatus.Created;
                    answers.Add(JobEndpoints.Render(outcome));
                    break;
                default:
                    // Only what the checks above cannot see gets here (a quota reached, a cluster spec): the jobs before
                    // this one stay submitted, and sending the file again with its submit_id completes it.
                    if (outcome.Status == SubmitStatus.QuotaExceeded)
                    {
                        request.HttpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    }

                    return Problems.Invalid(
                        outcome.Errors.ToDictionary(e => e.Key, e => e.Value.Select(m => $"job {i + 1} of {jobs.Count} (the {i} before it were submitted): {m}").ToArray()),
                        outcome.Status switch
                        {
                            SubmitStatus.SubmitIdConflict => StatusCodes.Status409Conflict,
                            SubmitStatus.QuotaExceeded => StatusCodes.Status429TooManyRequests,
                            _ => StatusCodes.Status400BadRequest,
                        });
            }
        }

        return Results.Json(new JsonObject { ["jobs"] = answers }, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>The n-th job (from 1) of a file with <c>submit_id: s</c> submits as <c>s.n</c>: each is its own submit, and a repeat of the file is a repeat of each.</summary>
    private static void DeriveSubmitIds(IReadOnlyList<JsonObject> jobs)
    {
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i][SubmitIds.Field] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                jobs[i][SubmitIds.Field] = $"{value.GetValue<string>()}.{(i + 1).ToString(CultureInfo.InvariantCulture)}";
            }
        }
    }

    /// <summary>What the submit path would refuse in this job, checked on a copy (the checks change what they read).</summary>
    private static Dictionary<string, string[]> Check(JsonObject job)
    {
        var copy = (JsonObject)job.DeepClone();
        var errors = new Dictionary<string, string[]>(JobDocumentReader.Validate(copy).Errors, StringComparer.Ordinal);
        if (errors.Count > 0)
        {
            return errors;
        }

        if (SubmitIds.Read(copy).Error is { } submitIdError)
        {
            errors[SubmitIds.Field] = [submitIdError];
        }

        foreach (var (field, messages) in JobRequirementsReader.Read(copy).Errors)
        {
            errors[field] = [.. messages];
        }

        if (MaxAttempts.Read(copy).Error is { } maxAttemptsError)
        {
            errors[MaxAttempts.Field] = [maxAttemptsError];
        }

        return errors;
    }
}
