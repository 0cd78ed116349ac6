using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Storage;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Testboxes;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Testboxes;

/// <summary>
/// <c>POST /api/v1/testboxes/{testbox}/heartbeat</c>: a testbox says it is alive. Once it has, it must keep beating
/// while it holds a confirmed job; missing <c>MissedHeartbeats</c> beats crashes the job with cause <c>testbox</c>.
/// The answer lists the jobs it holds and whether each must abort, so a box learns of a cancel within one beat.
/// </summary>
public static class HeartbeatEndpoints
{
    /// <summary>The longest interval a testbox may announce: an hour, so a dead box is noticed within a few.</summary>
    public const int MaxIntervalSeconds = 3600;

    public static IEndpointRouteBuilder MapHeartbeatEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/testboxes/{testbox}/heartbeat", HeartbeatAsync)
            .WithTags("Testboxes")
            .WithSummary("Record that the testbox is alive; optional body {\"interval_seconds\": 60}. Answers the jobs it holds, each with abort.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> HeartbeatAsync(string testbox, HttpRequest request, TestboxStore store, IOptions<LifecycleOptions> lifecycle, IOptions<ApiOptions> api, CancellationToken cancellationToken)
    {
        if (TestboxName.Problem(testbox) is { } badName)
        {
            return badName;
        }

        var (body, bodyProblem) = await JsonBody.ReadObjectAsync(request, api.Value.MaxBodyBytes, cancellationToken, ", like {\"interval_seconds\": 60, \"host\": \"h1\"}", emptyIsObject: true);
        if (body is null)
        {
            return bodyProblem!;
        }

        var (interval, givenHost, problem) = ReadFields(body, lifecycle.Value.HeartbeatIntervalSeconds);
        if (problem is not null)
        {
            return problem;
        }

        var host = HostName.Of(testbox, givenHost);

        // Stamped on the database's clock: the silo that judges this box's silence may not be this one.
        var (beat, deadline) = await store.HeartbeatAsync(testbox, host, interval, (long)interval * lifecycle.Value.MissedHeartbeats * 1000);
        var held = await store.ListHeldJobsAsync(testbox);
        return Results.Json(new JsonObject
        {
            ["testbox"] = testbox,
            ["host"] = host,
            ["interval_seconds"] = interval,
            ["next_heartbeat_before"] = JobJson.Time(beat + (interval * 1000L)),
            ["crash_after"] = JobJson.Time(deadline),
            ["jobs"] = new JsonArray([.. held.Select(j => (JsonNode)new JsonObject
            {
                ["id"] = j.Id.ToString(CultureInfo.InvariantCulture),
                ["job_stage"] = j.Stage,
                ["abort"] = j.CancelRequested,
            })]),
        });
    }

    private static (int Interval, string? Host, IResult? Problem) ReadFields(JsonObject fields, int fallback)
    {
        if (fields.Select(f => f.Key).FirstOrDefault(k => k is not ("interval_seconds" or "host")) is { } unknown)
        {
            return (0, null, Problems.Field(unknown, "is not a heartbeat field; use interval_seconds and host"));
        }

        var errors = new Dictionary<string, string[]>();
        var host = ConsumeBody.ReadHost(fields, errors);
        var seconds = fallback;
        if (fields["interval_seconds"] is not null
            && (fields["interval_seconds"] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue(out seconds) || seconds is < 1 or > MaxIntervalSeconds))
        {
            errors["interval_seconds"] = [$"must be a whole number of seconds from 1 to {MaxIntervalSeconds}"];
        }

        return errors.Count > 0 ? (0, null, Problems.Invalid(errors)) : (seconds, host, null);
    }
}
