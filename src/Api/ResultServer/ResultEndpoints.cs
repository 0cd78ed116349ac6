using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Results;
using CompassCi.Grains.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.ResultServer;

/// <summary>
/// The WebDAV result server lkp-tests uploads to (its <c>lib/upload.sh</c>, <c>upload_files_curl</c>): <c>MKCOL</c> and
/// <c>PUT</c> under <c>/result/…</c> with the cookie <c>JOBID=&lt;id&gt;</c>, into that job's own result_root only, while
/// the job is active or just finished; <c>GET</c> (and HEAD) for anyone: a file, or a collection's listing (JSON, or HTML
/// for <c>Accept: text/html</c>). Served on every address of the silo, including <c>Results:WebDavUrl</c> (port 3080).
/// </summary>
public static class ResultEndpoints
{
    /// <summary>The cookie lkp-tests names its job with.</summary>
    public const string JobCookie = "JOBID";

    /// <summary>WebDAV's method for making a collection (RFC 4918 §9.3).</summary>
    public const string MkCol = "MKCOL";

    public static IEndpointRouteBuilder MapResultEndpoints(this IEndpointRouteBuilder app)
    {
        var results = app.MapGroup("/result").WithTags("Results");
        results.MapMethods("/{**path}", [MkCol], MakeCollectionAsync)
            .WithSummary("WebDAV MKCOL: make a collection inside the job's result_root (cookie JOBID=<id>; the job active or finished within Results:UploadGrace).")
            .Produces(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        results.MapPut("/{**path}", PutAsync)
            .WithSummary("WebDAV PUT: write a file inside the job's result_root (cookie JOBID=<id>); 201 new, 204 replaced; 409 when its collection is missing; 413 over Results:MaxFileBytes or MaxJobBytes.")
            // Any content type: curl -T sends none, other clients text/plain or JSON (an Accepts list here would make
            // routing answer 415 to every other type).
            .Produces(StatusCodes.Status201Created)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        results.MapGet("/{**path}", GetAsync)
            .WithSummary("A result file, or a collection's listing: JSON {path, entries: [{name, type, size, modified}]}, HTML with Accept: text/html.")
            .Produces<JsonObject>()
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> MakeCollectionAsync(HttpContext context, IGrainFactory grains, ResultFiles files, IOptions<ResultOptions> options, TimeProvider clock)
    {
        var (path, rootDepth, refusal) = await AuthorizeAsync(context, grains, files, options.Value, clock);
        if (refusal is not null)
        {
            return refusal;
        }

        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            return Problems.Field("body", "MKCOL takes no body here (RFC 4918 §9.3.1)", StatusCodes.Status415UnsupportedMediaType);
        }

        return Answer(files.MakeCollection(path!.Names, rootDepth), path, context);
    }

    private static async Task<IResult> PutAsync(HttpContext context, IGrainFactory grains, ResultFiles files, JobResultsStore store, IOptions<ResultOptions> options, TimeProvider clock)
    {
        var (path, rootDepth, refusal) = await AuthorizeAsync(context, grains, files, options.Value, clock);
        if (refusal is not null)
        {
            return refusal;
        }

        if (path!.EndsWithSlash)
        {
            return Problems.Field("path", $"'{path.Text}/' names a collection; PUT a file name (curl -T appends it to a URL that ends with '/')");
        }

        var written = await files.PutAsync(path.Names, rootDepth, context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        if (written.Status is ResultWriteStatus.Created or ResultWriteStatus.Replaced)
        {
            await store.MarkUploadingAsync(JobId(context));
        }

        return Answer(written, path, context);
    }

    private static IResult GetAsync(HttpContext context, ResultFiles files)
    {
        if (ReadPath(context, out var refusal) is not { } path)
        {
            return refusal!;
        }

        if (files.SymlinkOn(path.Names) is { } link)
        {
            return Problems.Field("path", $"'{link}' is a symbolic link; the result server does not follow links", StatusCodes.Status403Forbidden);
        }

        return files.Find(path.Names) switch
        {
            DirectoryInfo collection => ResultListing.Render(path, ResultFiles.List(collection), context.Request),
            FileInfo file => new ResultFile(file),
            _ => Problems.NotFound("path", $"'{path.Text}' does not exist"),
        };
    }

    /// <summary>
    /// The checks every write passes, in order: a clean path (400), a JOBID cookie (403), a job by that id (404) with a
    /// result_root the path lies in (403), in its upload window (409), no symbolic link on the way (403). Answers the
    /// path and the result_root's depth, or the refusal.
    /// </summary>
    private static async Task<(ResultPath? Path, int RootDepth, IResult? Refusal)> AuthorizeAsync(
        HttpContext context, IGrainFactory grains, ResultFiles files, ResultOptions options, TimeProvider clock)
    {
        if (ReadPath(context, out var badPath) is not { } path)
        {
            return (null, 0, badPath);
        }

        if (context.Request.Cookies[JobCookie] is not { Length: > 0 } cookie)
        {
            return (null, 0, Problems.Field(JobCookie, $"uploads must name their job with the cookie {JobCookie}=<id> (lkp-tests sends it when $id is set)", StatusCodes.Status403Forbidden));
        }

        if (!JobEndpoints.TryParseId(cookie, out var id) || await grains.GetGrain<IJobGrain>(JobEndpoints.Key(id)).Get() is not { } job)
        {
            return (null, 0, Problems.NotFound(JobCookie, $"no job has the id '{cookie}'"));
        }

        context.Items[JobCookie] = id;
        if (job.ResultRoot is not { } resultRoot)
        {
            return (null, 0, Problems.Field(JobCookie, $"job {cookie} has no result_root (it was submitted before results were kept)", StatusCodes.Status403Forbidden));
        }

        var rootNames = ResultRoot.Segments(resultRoot).Skip(1).ToList();
        if (!path.IsWithin(rootNames))
        {
            return (null, 0, Problems.Field("path", $"'{path.Text}' is outside job {cookie}'s result_root {resultRoot}", StatusCodes.Status403Forbidden));
        }

        if (UploadWindow.Refusal(job, clock.GetUtcNow(), options.UploadGrace) is { } closed)
        {
            return (null, 0, Problems.Field(JobCookie, closed, StatusCodes.Status409Conflict));
        }

        if (files.SymlinkOn(path.Names) is { } link)
        {
            return (null, 0, Problems.Field("path", $"'{link}' is a symbolic link; the result server does not follow links", StatusCodes.Status403Forbidden));
        }

        return (path, rootNames.Count, null);
    }

    /// <summary>The request's path, read from the raw target (the decoded one has lost its <c>..</c> segments already).</summary>
    private static ResultPath? ReadPath(HttpContext context, out IResult? refusal)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = ResultPath.Parse(query < 0 ? raw : raw[..query], out var problem);
        refusal = path is null ? Problems.Field("path", problem!) : null;
        return path;
    }

    private static long JobId(HttpContext context) => (long)context.Items[JobCookie]!;

    private static IResult Answer(ResultWrite written, ResultPath path, HttpContext context)
    {
        switch (written.Status)
        {
            case ResultWriteStatus.Created:
                context.Response.Headers.Location = path.Text + (path.EndsWithSlash ? "/" : "");
                return Results.StatusCode(StatusCodes.Status201Created);
            case ResultWriteStatus.Replaced:
                return Results.NoContent();
            case ResultWriteStatus.ParentMissing:
                return Problems.Field("path", written.Message!, StatusCodes.Status409Conflict);
            case ResultWriteStatus.TooLarge:
                return Problems.Field("body", written.Message!, StatusCodes.Status413PayloadTooLarge);
            default:
                context.Response.Headers.Allow = path.EndsWithSlash || written.Status == ResultWriteStatus.Exists ? "GET, HEAD, PUT" : "GET, HEAD, PUT, MKCOL";
                return Problems.Field("path", written.Message!, StatusCodes.Status405MethodNotAllowed);
        }
    }

    /// <summary>A result file: its bytes with a content type by its name; headers only for HEAD.</summary>
    private sealed class ResultFile(FileInfo file) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = ResultContentTypes.Of(file.Name);
            response.ContentLength = file.Length;
            response.Headers.LastModified = file.LastWriteTimeUtc.ToString("R", CultureInfo.InvariantCulture);
            // Uploaded HTML or SVG must not run as this server's page in a browser.
            response.Headers.ContentSecurityPolicy = "sandbox";
            response.Headers.XContentTypeOptions = "nosniff";
            return HeadRequests.IsHead(httpContext) ? Task.CompletedTask : response.SendFileAsync(file.FullName, httpContext.RequestAborted);
        }
    }
}
