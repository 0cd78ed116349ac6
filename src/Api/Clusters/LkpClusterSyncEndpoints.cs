using CompassCi.Api.Compat;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Clusters;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Clusters;

/// <summary>
/// lkp-tests' <c>lkp-cluster-sync</c> as its client calls it:
/// <c>GET /~lkp/cgi-bin/lkp-cluster-sync?job_id=&amp;cluster=&amp;node=&amp;state=…[&amp;node_roles=&amp;ip=&amp;direct_macs=&amp;direct_ips=]</c>.
/// Answers are plain text: a bare word for waits, compass-ci's state JSON for write_state/abort/failed, and
/// <c>&lt;role&gt;=&lt;ip&gt;</c> lines for roles_ip. A wait is held at most <see cref="ClusterJobOptions.MaxHold"/>,
/// then answered <c>retry</c>; the client asks again up to 100 times.
/// </summary>
public static class LkpClusterSyncEndpoints
{
    public static IEndpointRouteBuilder MapLkpClusterSyncEndpoints(this IEndpointRouteBuilder app)
    {
        // Kept out of the OpenAPI document: its generator cannot map a path that starts with '~' (and this is
        // lkp's fixed wire protocol, documented in the README, not an API to generate clients for).
        app.MapGet("/~lkp/cgi-bin/lkp-cluster-sync", SyncAsync).ChangesState().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SyncAsync(HttpContext context, JobStore jobs, IGrainFactory grains, IOptions<ClusterJobOptions> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        var query = context.Request.Query;
        var jobIdText = query["job_id"].ToString();
        if (!JobEndpoints.TryParseId(jobIdText, out var jobId))
        {
            return Problems.Field("job_id", "is required: the id of this node's job");
        }

        if (!ClusterSyncWords.TryParse(query["state"].ToString(), out var operation))
        {
            return Problems.Field("state", $"must be one of {string.Join(", ", ClusterSyncWords.StateWords)}");
        }

        if (operation == ClusterSyncOperation.WriteState
            && ClusterNodeFacts.Check("node_roles", LkpCgiQuery.Param(context.Request, "node_roles"), LkpCgiQuery.Param(context.Request, "ip"), LkpCgiQuery.Param(context.Request, "direct_macs"), LkpCgiQuery.Param(context.Request, "direct_ips")) is { Count: > 0 } bad)
        {
            return Problems.Invalid(bad);
        }

        if (await jobs.GetAsync(jobId) is not { } job)
        {
            return Problems.NotFound("job_id", $"no job has the id '{jobIdText}'");
        }

        if (job.ClusterId is not { } clusterId)
        {
            return Problems.Field("job_id", $"job {jobIdText} is not a node of a multi-node cluster");
        }

        var barrier = grains.GetGrain<IClusterBarrierGrain>(JobEndpoints.Key(clusterId));
        var logger = loggers.CreateLogger(typeof(LkpClusterSyncEndpoints));
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        // lkp sends write_state, finished, failed and roles_ip once: ride out a barrier moving to another silo.
        Task<T?> Once<T>(Func<Task<T>> call) where T : class? => ClusterCalls.RetryingAsync(call, DateTimeOffset.UtcNow + ClusterCalls.Patience, logger, ends.Token);
        try
        {
            switch (operation)
            {
                case ClusterSyncOperation.WriteState:
                    var written = await Once(() => barrier.WriteState(jobIdText, LkpCgiQuery.Param(context.Request, "node_roles"), LkpCgiQuery.Param(context.Request, "ip"), LkpCgiQuery.Param(context.Request, "direct_macs"), LkpCgiQuery.Param(context.Request, "direct_ips")));
                    return StateDocument(written!);
                case ClusterSyncOperation.Abort or ClusterSyncOperation.Failed:
                    return StateDocument((await Once(() => barrier.Abort(jobIdText, operation == ClusterSyncOperation.Failed ? "reported failed" : "gave up waiting")))!);
                case ClusterSyncOperation.RolesIp:
                    var cluster = await Once(() => barrier.Get());
                    return cluster is null ? Unknown(jobIdText) : Results.Text(string.Join('\n', ClusterBarrier.FromSnapshot(cluster).RolesIp()) + "\n", "text/plain");
                case ClusterSyncOperation.Finished or ClusterSyncOperation.Started:
                    // lkp sends finished (and started) and goes on without reading the answer; wait_* is where it waits.
                    ClusterSyncWords.TryGetTarget(operation, out var reached);
                    return Word((await Once(() => barrier.Reach(jobIdText, (int)reached, TimeSpan.Zero)))!, jobIdText);
                default:
                    ClusterSyncWords.TryGetTarget(operation, out var target);
                    return Word(await ClusterCalls.ReachAsync(barrier, jobIdText, target, options.Value.MaxHold, logger, ends.Token), jobIdText);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // This silo is stopping: the client asks again (another silo), which is what retry means to it.
            return Results.Text(ClusterSyncWords.Retry + "\n", "text/plain");
        }
    }

    private static IResult Word(ClusterReply reply, string jobId) =>
        reply.UnknownJob ? Unknown(jobId) : Results.Text((reply.Word ?? ClusterSyncWords.Retry) + "\n", "text/plain");

    private static IResult StateDocument(ClusterReply reply) =>
        reply.UnknownJob || reply.Cluster is null
            ? Problems.NotFound("job_id", "this job is not in its cluster's barrier")
            : Results.Text(ClusterBarrier.FromSnapshot(reply.Cluster).StateDocument().ToJsonString() + "\n", "text/plain");

    private static IResult Unknown(string jobId) => Problems.NotFound("job_id", $"job {jobId} is not in its cluster's barrier");
}
