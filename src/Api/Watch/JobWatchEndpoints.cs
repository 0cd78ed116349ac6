using System.Text;
using CompassCi.Api.Auth;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Contracts.Watch;
using CompassCi.Grains.Watch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Watch;

/// <summary>
/// Live job changes as server-sent events: <c>GET /api/v1/jobs/{id}/watch</c> (one job, from its first change) and
/// <c>GET /api/v1/watch?my_account=&amp;suite=&amp;tbox_group=&amp;testbox=</c> (many jobs, from now). Each resumes after
/// the position in <c>after</c> or, when that is absent, <c>Last-Event-ID</c>. Parse and render only: the watching is
/// <see cref="JobWatch"/>'s.
/// </summary>
public static class JobWatchEndpoints
{
    /// <summary>The longest filter value accepted (the filtered columns are no wider).</summary>
    private const int MaxFilterLength = 255;

    public static IEndpointRouteBuilder MapJobWatchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/jobs/{id}/watch", WatchJobAsync)
            .WithTags("Jobs")
            .WithSummary("Server-sent events: every change of the job in order (id = the entry's index in its history; after=N or Last-Event-ID resumes).")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/v1/watch", WatchJobsAsync)
            .WithTags("Jobs")
            .WithSummary("Server-sent events: the changes of every job matching my_account, suite, tbox_group and testbox, from now (after or Last-Event-ID resumes). An account sees its own jobs only.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task WatchJobAsync(string id, HttpContext context, JobWatch watch, IOptions<WatchOptions> options, IHostApplicationLifetime lifetime)
    {
        var (field, resume) = Resume(context.Request);
        if (!JobPosition.TryParse(resume, out var after))
        {
            await Problems.Field(field, $"'{resume}' is not a position of this watch: send the id of the last event seen, a whole number").ExecuteAsync(context);
            return;
        }

        // The first answer comes before the stream starts, so an unknown job is a plain 404.
        if (!JobEndpoints.TryParseId(id, out var jobId)
            || await watch.NextAsync(jobId, after, TimeSpan.Zero, context.RequestAborted) is not { NotFound: false } first)
        {
            await Problems.NotFound("id", $"no job has the id '{id}'").ExecuteAsync(context);
            return;
        }

        await StreamAsync(context, lifetime, first, token => watch.NextAsync(jobId, after, options.Value.Round, token), next => after = int.Parse(next, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task WatchJobsAsync(HttpContext context, JobWatch watch, IOptions<WatchOptions> options, IHostApplicationLifetime lifetime)
    {
        var errors = new Dictionary<string, string[]>();
        string? Filter(string name)
        {
            var values = context.Request.Query[name];
            if (values.Count > 1)
            {
                errors[name] = ["give it once"];
            }
            else if (values.ToString() is { Length: > MaxFilterLength })
            {
                errors[name] = [$"is longer than {MaxFilterLength} characters"];
            }

            return string.IsNullOrEmpty(values.ToString()) ? null : values.ToString();
        }

        var filter = new WatchFilter { MyAccount = Filter("my_account"), Suite = Filter("suite"), TboxGroup = Filter("tbox_group"), Testbox = Filter("testbox") };
        var (field, resume) = Resume(context.Request);
        WatchPosition position = default;
        if (!string.IsNullOrEmpty(resume) && !WatchPosition.TryParse(resume, out position))
        {
            errors[field] = [$"'{resume}' is not a position of this watch: send the id of the last event seen"];
        }

        if (errors.Count > 0)
        {
            await Problems.Invalid(errors).ExecuteAsync(context);
            return;
        }

        // An account watches its own jobs only, whatever my_account it asks for (as GET /api/v1/jobs lists them).
        var caller = Caller.Of(context);
        if (caller.Kind == CallerKind.Account)
        {
            filter = filter with { MyAccount = caller.Account };
        }

        // Fixed before the stream starts: a client that sees the response has started sees every change from here on.
        if (string.IsNullOrEmpty(resume))
        {
            position = watch.Start();
        }

        await StreamAsync(
            context,
            lifetime,
            new JobEvents([], position.ToString()),
            token => watch.NextAsync(filter, position, options.Value.Round, token),
            next => position = WatchPosition.TryParse(next, out var moved) ? moved : position);
    }

    /// <summary>The position to resume after, and where it came from: the <c>after</c> query parameter wins over <c>Last-Event-ID</c>.</summary>
    private static (string Field, string Value) Resume(HttpRequest request) =>
        request.Query["after"].ToString() is { Length: > 0 } after ? ("after", after) : ("Last-Event-ID", request.Headers["Last-Event-ID"].ToString());

    /// <summary>
    /// Writes <paramref name="first"/>, then each answer of <paramref name="next"/> (moving the position with
    /// <paramref name="advance"/>), or the keep-alive comment when a round brought nothing, until the client leaves or
    /// the silo stops (a client then resumes with <c>Last-Event-ID</c>).
    /// </summary>
    private static async Task StreamAsync(HttpContext context, IHostApplicationLifetime lifetime, JobEvents first, Func<CancellationToken, Task<JobEvents>> next, Action<string> advance)
    {
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        if (HeadRequests.IsHead(context))
        {
            return;
        }

        try
        {
            var batch = first;
            await context.Response.Body.FlushAsync(ends.Token);
            while (true)
            {
                var text = new StringBuilder();
                foreach (var change in batch.Events)
                {
                    JobEventSse.Append(text, change);
                }

                if (batch.Next is { } position)
                {
                    advance(position);
                }

                if (text.Length > 0)
                {
                    await context.Response.WriteAsync(text.ToString(), ends.Token);
                    await context.Response.Body.FlushAsync(ends.Token);
                }

                batch = await next(ends.Token);
                if (batch.NotFound)
                {
                    // The job is gone (jobs are not deleted today): nothing more will come.
                    return;
                }

                if (batch.Events.Count == 0)
                {
                    await context.Response.WriteAsync(JobEventSse.KeepAlive, ends.Token);
                    await context.Response.Body.FlushAsync(ends.Token);
                }
            }
        }
        catch (OperationCanceledException) when (ends.IsCancellationRequested)
        {
            // The watcher left, or this silo is stopping: the stream just ends; a client resumes with Last-Event-ID.
        }
    }
}
