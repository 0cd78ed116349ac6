using System.Text.Json.Nodes;
using CompassCi.Api.Auth;
using CompassCi.Api.Http;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Hosting;

namespace CompassCi.Api.Health;

/// <summary>
/// <c>/healthz</c>: the process is alive (touches nothing, so a slow database never gets a healthy
/// process killed). <c>/readyz</c>: the database and the cluster answer.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>
    /// How long each probe may take. Well under a stopped database's cost to a statement (its 5 s command timeout and
    /// the driver's grace), and under the helm chart's 7 s probe timeout even on a busy machine.
    /// </summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Json(new JsonObject { ["status"] = "alive" })).WithTags("Health");
        app.MapGet("/readyz", ReadyAsync).WithTags("Health");
        return app;
    }

    private static async Task<IResult> ReadyAsync(JobStore store, IGrainFactory grains, AccessMode access, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Tell load balancers to send new work elsewhere while this silo hands its grains over.
            return Problems.Unavailable("this silo is shutting down");
        }

        // Both at once, each cut off at ProbeTimeout whatever it waits on (a stopped database would hold a connection
        // or a grain call far longer): /readyz answers within its own timeout.
        var databaseProbe = ProbeAsync(store.PingAsync, cancellationToken);
        var clusterProbe = ProbeAsync(
            async token =>
            {
                await grains.GetGrain<IQueueDirectoryGrain>(0).WaitForChange(-1, TimeSpan.Zero, token);
                return true;
            },
            cancellationToken);
        var database = await databaseProbe;
        var cluster = await clusterProbe;

        if (database && cluster)
        {
            return Results.Json(new JsonObject { ["status"] = "ready", ["database"] = "ok", ["cluster"] = "ok", ["auth"] = AccessWords.Describe(await access.IsClosedAsync()) });
        }

        return Problems.Unavailable($"database: {(database ? "ok" : "unreachable")}, cluster: {(cluster ? "ok" : "unreachable")}");
    }

    /// <summary>True when <paramref name="probe"/> says so within <see cref="ProbeTimeout"/>; false when it fails or is late.</summary>
    private static async Task<bool> ProbeAsync(Func<CancellationToken, Task<bool>> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            return await probe(timeout.Token).WaitAsync(ProbeTimeout, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
