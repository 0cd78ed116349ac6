using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Grains.Clusters;
using CompassCi.Grains.Hosts;
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

    private static async Task<IResult> SubmitAsync(HttpRequest request, JobSubmitter submitter, JobIdGenerator ids, TimeProvider clock, ClusterSubmitter clusters, TestboxRegistry registry, IOptions<ApiOptions> options, CancellationToken cancellationToken)
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

        if (ClusterSubmitter.IsClusterJob(document))
        {
            var split = await clusters.SplitAsync(document);
            if (split.Errors.Count > 0)
            {
                return Problems.Invalid(split.Errors);
            }

            if (split.LocalJob is null)
            {
                return await SubmitClusterAsync(split.NodeJobs, clusters, ids, clock, registry);
            }

            document = split.LocalJob;
        }

        var (needs, errors) = ReadNeeds(document);
        if (needs is null)
        {
            return Problems.Invalid(errors);
        }

        for (var attempt = 0; attempt < MaxIdAttempts; attempt++)
        {
            var job = NewJob.Pending(ids.Next(), clock.GetUtcNow().ToUnixTimeMilliseconds(), document, needs);
            if (await submitter.SubmitAsync(job))
            {
                var answer = JobJson.Render(job, document);
                await AddWarningsAsync(answer, [needs], registry);
                return Results.Json(answer, statusCode: StatusCodes.Status201Created);
            }
        }

        return Problems.Unavailable("could not allocate a job id; try again");
    }

    /// <summary>
    /// Stores every node job of a cluster and its barrier at once; answers the first node job (whose id is the
    /// cluster id) with <c>jobs</c>, every node job.
    /// </summary>
    private static async Task<IResult> SubmitClusterAsync(IReadOnlyList<JsonObject> nodeJobs, ClusterSubmitter clusters, JobIdGenerator ids, TimeProvider clock, TestboxRegistry registry)
    {
        var errors = new Dictionary<string, string[]>();
        var needs = new List<JobRequirements>();
        foreach (var nodeJob in nodeJobs)
        {
            var (need, problems) = ReadNeeds(nodeJob);
            foreach (var (field, messages) in problems)
            {
                errors[$"{nodeJob["cluster_node"]?.GetValue<string>()}.{field}"] = messages;
            }

            if (need is not null)
            {
                needs.Add(need);
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var clusterId = ids.Next();
        var records = new List<JobRecord>();
        for (var i = 0; i < nodeJobs.Count; i++)
        {
            var id = i == 0 ? clusterId : ids.Next();
            nodeJobs[i]["cluster_id"] = Key(clusterId);
            records.Add(NewJob.Pending(id, now, nodeJobs[i], needs[i], clusterId));
        }

        await clusters.SubmitAsync(records, nodeJobs);
        var rendered = records.Select((r, i) => JobJson.Render(r, nodeJobs[i])).ToList();
        var answer = (JsonObject)rendered[0].DeepClone();
        answer["jobs"] = new JsonArray([.. rendered]);
        await AddWarningsAsync(answer, needs, registry);
        return Results.Json(answer, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// Adds <c>warnings</c> when no testbox seen recently could take the job (or one of its node jobs): accepted, but
    /// the submitter learns now, not after hours of waiting. A registry that cannot be read adds no warning.
    /// </summary>
    private static async Task AddWarningsAsync(JsonObject answer, IReadOnlyList<JobRequirements> needs, TestboxRegistry registry)
    {
        IReadOnlyList<SeenTestbox> seen;
        try
        {
            seen = await registry.SeenRecentlyAsync(fresh: false);
        }
        catch (MySqlConnector.MySqlException)
        {
            return;
        }

        var warnings = needs.Select(n => WaitExplainer.Warning(n.Tags, seen)).OfType<string>().Distinct().ToList();
        if (warnings.Count > 0)
        {
            answer["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)w)]);
        }
    }

    /// <summary>What the job needs from a testbox, and its own limits; the tbox_group it implies is written back into it.</summary>
    private static (JobRequirements? Needs, IReadOnlyDictionary<string, string[]> Errors) ReadNeeds(JsonObject document)
    {
        var requirements = JobRequirementsReader.Read(document);
        var (_, maxAttemptsError) = MaxAttempts.Read(document);
        if (requirements.Requirements is not { } needs || maxAttemptsError is not null)
        {
            var errors = new Dictionary<string, string[]>(requirements.Errors);
            if (maxAttemptsError is not null)
            {
                errors[MaxAttempts.Field] = [maxAttemptsError];
            }

            return (null, errors);
        }

        if (needs.TboxGroup is not null)
        {
            document["tbox_group"] = needs.TboxGroup;
        }

        return (needs, requirements.Errors);
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
