using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Grains.Jobs;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Scheduling;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Jobs;

/// <summary>Submit, read and list jobs: <c>/api/v1/jobs</c>.</summary>
public static class JobEndpoints
{
    private const int MaxIdAttempts = 5;

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs");
        jobs.MapPost("", SubmitAsync)
            .WithSummary("Submit one lkp job (JSON, or YAML with Content-Type: application/yaml).")
            .Produces<JsonObject>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        jobs.MapGet("/{id}", GetAsync)
            .WithSummary("One job.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("", ListAsync)
            .WithSummary("A page of jobs, newest first; pass next as after for the following page.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, JobSubmitter submitter, JobIdGenerator ids, TimeProvider clock, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var parsed = JobDocumentReader.Read(body, request.ContentType);
        if (parsed.Document is not { } document)
        {
            return Problems.Invalid(parsed.Errors, parsed.Errors.ContainsKey("content_type") ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status400BadRequest);
        }

        var requirements = JobRequirementsReader.Read(document);
        var (_, maxAttemptsError) = MaxAttempts.Read(document);
        if (requirements.Requirements is not { } needs || maxAttemptsError is not null)
        {
            var errors = new Dictionary<string, string[]>(requirements.Errors);
            if (maxAttemptsError is not null)
            {
                errors[MaxAttempts.Field] = [maxAttemptsError];
            }

            return Problems.Invalid(errors);
        }

        if (needs.TboxGroup is not null)
        {
            document["tbox_group"] = needs.TboxGroup;
        }

        var json = document.ToJsonString();
        for (var attempt = 0; attempt < MaxIdAttempts; attempt++)
        {
            var job = new JobRecord
            {
                Id = ids.Next(),
                SubmitTime = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                Account = document["my_account"]!.GetValue<string>(),
                Suite = document["suite"]!.GetValue<string>(),
                TboxGroup = needs.TboxGroup,
                Testbox = needs.Testbox,
                Arch = needs.Arch,
                QueueKey = needs.QueueKey,
                Stage = JobStages.Submit,
                Priority = needs.Priority,
                MemoryMb = needs.MemoryMb,
                Version = 1,
                Document = json,
            };
            if (await submitter.SubmitAsync(job))
            {
                return Results.Json(JobJson.Render(job, document), statusCode: StatusCodes.Status201Created);
            }
        }

        return Problems.Unavailable("could not allocate a job id; try again");
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains)
    {
        if (!TryParseId(id, out var jobId))
        {
            return Problems.NotFound("id", $"no job has the id '{id}'");
        }

        var job = await grains.GetGrain<IJobGrain>(Key(jobId)).Get();
        return job is null ? Problems.NotFound("id", $"no job has the id '{id}'") : Results.Json(JobJson.Render(job));
    }

    private static async Task<IResult> ListAsync(HttpRequest request, JobStore store)
    {
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
            if (PageCursor.TryDecode(cursor, out var last))
            {
                before = last;
            }
            else
            {
                errors["after"] = ["is not a cursor this server gave out; pass the 'next' value of the previous page"];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var page = await store.ListAsync(new JobQuery(stage, Text("my_account"), Text("suite"), Text("tbox_group"), Text("testbox"), before, limit));
        var items = new JsonArray([.. page.Select(j => (JsonNode)JobJson.Render(j))]);
        var next = page.Count == limit ? PageCursor.Encode(page[^1].Id) : null;
        return Results.Json(new JsonObject { ["jobs"] = items, ["next"] = next });
    }

    internal static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    internal static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    /// <summary>Opaque page cursors: the last id of a page, so clients do not build them by hand.</summary>
    private static class PageCursor
    {
        private const string Prefix = "before:";

        public static string Encode(long lastId) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + lastId.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static bool TryDecode(string cursor, out long lastId)
        {
            lastId = 0;
            try
            {
                var padded = cursor.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - padded.Length % 4) % 4);
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
                return text.StartsWith(Prefix, StringComparison.Ordinal) && TryParseId(text[Prefix.Length..], out lastId);
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
