using CompassCi.Api.Auth;
using CompassCi.Api.Clusters;
using CompassCi.Api.Compat;
using CompassCi.Api.FairShare;
using CompassCi.Api.Health;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Api.Queues;
using CompassCi.Api.Pipeline;
using CompassCi.Api.ResultServer;
using CompassCi.Api.Stats;
using CompassCi.Api.Testboxes;
using CompassCi.Api.Watch;

namespace CompassCi.Api;

/// <summary>Maps every endpoint group of the REST gateway.</summary>
public static class ApiEndpoints
{
    /// <summary>The gateway's pipeline: problem details for failures (503 for a dependency that is down), OpenAPI, every endpoint.</summary>
    public static WebApplication UseCompassCiApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseRouteProblems();
        app.UseHeadAsGet();
        // Explicit, so that HEAD has become GET before an endpoint is chosen, and the target is checked after.
        app.UseRouting();
        app.UseRequestTargetCheck();
        app.UseChangingGetGuard();
        app.UseAccessCheck();
        app.UseWebSockets();
        app.MapOpenApi();
        app.MapCompassCiApi();
        return app;
    }

    public static IEndpointRouteBuilder MapCompassCiApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthEndpoints();
        app.MapJobEndpoints();
        app.MapJobLifecycleEndpoints();
        app.MapJobWatchEndpoints();
        app.MapTestboxEndpoints();
        app.MapHeartbeatEndpoints();
        app.MapRegistryEndpoints();
        app.MapJobInsightEndpoints();
        app.MapQueueEndpoints();
        app.MapCrashStatsEndpoints();
        app.MapClusterSpecEndpoints();
        app.MapClusterEndpoints();
        app.MapLkpClusterSyncEndpoints();
        app.MapLkpCgiEndpoints().MapLkpDeadlineEndpoints();
        app.MapJobStatsEndpoints();
        app.MapPipelineEndpoints();
        app.MapResultEndpoints();
        app.MapAccountEndpoints();
        app.MapJobSecretEndpoints();
        app.MapFairShareEndpoints();
        app.MapBootEndpoints();
        app.MapHostRegistrationEndpoints();
        app.MapJobInitrdEndpoints();
        app.MapCompassAliveEndpoints();
        app.MapSubmitJobEndpoints();
        app.MapCancelJobsEndpoints();
        return app;
    }
}
