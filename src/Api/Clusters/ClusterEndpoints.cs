using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Clusters;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Clusters;

/// <summary>
/// The native cluster API: a cluster's state (<c>GET /api/v1/clusters/{id}</c>), a node's report
/// (<c>POST …/nodes/{job_id}/state</c>) and a server-sent-event stream of every change (<c>GET …/watch</c>).
/// </summary>
public static class ClusterEndpoints
{
    private const int MaxWaitSeconds = 300;

    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        var cluster = app.MapGroup("/api/v1/clusters/{id}").WithTags("Clusters");
        cluster.MapGet("", GetAsync)
            .WithSummary("The cluster: outcome, start deadline, and each node's job, roles, addresses and state.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        cluster.MapPost("/nodes/{jobId}/state", ReportAsync)
            .WithSummary("A node reports: {\"state\": \"write_state|start|ready|finish|abort|failed\", \"ip\", \"roles\", \"direct_macs\", \"direct_ips\", \"wait_seconds\"}. Barrier states answer start/ready/finish, abort, or retry after wait_seconds.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        cluster.MapGet("/watch", WatchAsync)
            .WithSummary("Server-sent events: every change of the cluster in order (id = seq; after=N or Last-Event-ID resumes), then 'end' once it is over.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains) =>
        JobEndpoints.TryParseId(id, out _) && await grains.GetGrain<IClusterBarrierGrain>(id).Get() is { } cluster
            ? Results.Json(ClusterJson.Render(cluster))
            : Problems.NotFound("id", $"no cluster has the id '{id}'");

    private static async Task<IResult> ReportAsync(string id, string jobId, HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options, ILoggerFactory loggers)
    {
        if (!JobEndpoints.TryParseId(id, out _))
        {
            return Problems.NotFound("id", $"no cluster has the id '{id}'");
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, options.Value.MaxBodyBytes, context.RequestAborted, " like {\"state\": \"ready\"}");
        if (body is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>();
        string? Text(string field)
        {
            if (body[field] is null)
            {
                return null;
            }

            if (body[field]!.GetValueKind() == JsonValueKind.String)
            {
                return body[field]!.GetValue<string>();
            }

            errors[field] = ["must be a string"];
            return null;
        }

        string[] states = ["write_state", "start", "ready", "finish", "abort", "failed"];
        var state = Text("state");
        if (state is null || !states.Contains(state))
        {
            errors["state"] = [$"must be one of {string.Join(", ", states)}"];
        }

        var wait = 0;
        if (body["wait_seconds"] is { } waitNode && (waitNode.GetValueKind() != JsonValueKind.Number || !waitNode.AsValue().TryGetValue(out wait) || wait is < 0 or > MaxWaitSeconds))
        {
            errors["wait_seconds"] = [$"must be a whole number of seconds from 0 to {MaxWaitSeconds}"];
        }

        var (roles, ip, macs, ips) = (Text("roles"), Text("ip"), Text("direct_macs"), Text("direct_ips"));
        foreach (var (field, messages) in ClusterNodeFacts.Check("roles", roles, ip, macs, ips))
        {
            errors[field] = messages;
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var barrier = grains.GetGrain<IClusterBarrierGrain>(id);
        var logger = loggers.CreateLogger(typeof(ClusterEndpoints));
        var patience = DateTimeOffset.UtcNow + ClusterCalls.Patience;
        var reply = state switch
        {
            "write_state" => await ClusterCalls.RetryingAsync(() => barrier.WriteState(jobId, roles, ip, macs, ips), patience, logger, context.RequestAborted),
            "abort" or "failed" => await ClusterCalls.RetryingAsync(() => barrier.Abort(jobId, state == "failed" ? "reported failed" : "aborted"), patience, logger, context.RequestAborted),
            _ => await ClusterCalls.ReachAsync(barrier, jobId, Enum.Parse<BarrierTarget>(state!, ignoreCase: true), TimeSpan.FromSeconds(wait), logger, context.RequestAborted),
        };
        if (reply is null || reply.UnknownJob)
        {
            return Problems.NotFound("job_id", $"job '{jobId}' is not a node of cluster '{id}'");
        }

        return Results.Json(new JsonObject { ["answer"] = reply.Word, ["cluster"] = reply.Cluster is { } c ? ClusterJson.Render(c) : null });
    }

    private static async Task WatchAsync(string id, HttpContext context, IGrainFactory grains, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        var barrier = grains.GetGrain<IClusterBarrierGrain>(id);
        if (!JobEndpoints.TryParseId(id, out _) || await barrier.Get() is null)
        {
            await Problems.NotFound("id", $"no cluster has the id '{id}'").ExecuteAsync(context);
            return;
        }

        var after = 0;
        var resume = context.Request.Query["after"].ToString() is { Length: > 0 } a ? a : context.Request.Headers["Last-Event-ID"].ToString();
        if (resume.Length > 0 && (!int.TryParse(resume, out after) || after < 0))
        {
            await Problems.Field("after", "must be the seq of the last change seen, a whole number").ExecuteAsync(context);
            return;
        }

        var logger = loggers.CreateLogger(typeof(ClusterEndpoints));
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        if (HeadRequests.IsHead(context))
        {
            return;
        }

        await context.Response.Body.FlushAsync(ends.Token);
        try
        {
            while (!ends.IsCancellationRequested)
            {
                var seen = after;
                var batch = await ClusterCalls.RetryingAsync(
                    () => barrier.Changes(seen, ClusterCalls.Round).WaitAsync(ends.Token), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), logger, ends.Token);
                var text = new StringBuilder();
                foreach (var change in batch?.Changes ?? [])
                {
                    text.Append("id: ").Append(change.Seq).Append("\nevent: ").Append(change.Event).Append("\ndata: ")
                        .Append(ClusterJson.Render(change).ToJsonString()).Append("\n\n");
                    after = change.Seq;
                }

                var over = batch is not null && batch.Changes.Count == 0 && batch.Outcome != ClusterOutcomes.Active;
                text.Append(over ? $"event: end\ndata: {{\"outcome\": \"{batch!.Outcome}\"}}\n\n" : text.Length == 0 ? ": waiting\n\n" : string.Empty);
                await context.Response.WriteAsync(text.ToString(), ends.Token);
                await context.Response.Body.FlushAsync(ends.Token);
                if (over)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ends.IsCancellationRequested)
        {
            // The watcher left, or this silo is stopping: the stream just ends; a client resumes with Last-Event-ID.
        }
    }
}
