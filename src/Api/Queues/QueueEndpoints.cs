using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Queues;

namespace CompassCi.Api.Queues;

/// <summary>What waits where: <c>/api/v1/queues</c>.</summary>
public static class QueueEndpoints
{
    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/queues", ListAsync)
            .WithTags("Queues")
            .WithSummary("Every queue key with its pending count and oldest submit time.")
            .Produces<JsonArray>();
        return app;
    }

    private static async Task<IResult> ListAsync(QueueKeyIndex queueKeys, IGrainFactory grains)
    {
        await queueKeys.EnsureLoadedAsync();
        var summaries = await Task.WhenAll(queueKeys.AllKeys().Select(k => grains.GetGrain<IQueueGrain>(k).Summary()));
        var result = new JsonArray();
        foreach (var s in summaries.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            result.Add(new JsonObject
            {
                ["key"] = s.Key,
                ["pending"] = s.Pending,
                ["oldest_submit_time"] = s.OldestSubmitTime is { } t ? JobJson.Time(t) : null,
            });
        }

        return Results.Json(result);
    }
}
