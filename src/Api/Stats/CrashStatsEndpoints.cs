using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Storage;

namespace CompassCi.Api.Stats;

/// <summary>
/// <c>GET /api/v1/stats/crashes?since=&amp;until=</c>: crashed jobs over a window, counted by cause and by whom to
/// notify, so a lab sees whether its machines, its network or its tests are what fails.
/// </summary>
public static class CrashStatsEndpoints
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    public static IEndpointRouteBuilder MapCrashStatsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stats/crashes", CountAsync)
            .WithTags("Stats")
            .WithSummary("Crashes that ended in [since, until), by cause and notify. since/until: ISO 8601 times or a span back from now (90m, 24h, 7d); since defaults to 24h.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> CountAsync(HttpRequest request, JobQueries store, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var since = ReadTime(request, "since", now, now - DefaultWindow, errors);
        var until = ReadTime(request, "until", now, now, errors);
        if (errors.Count == 0 && since >= until)
        {
            errors["since"] = [$"must be before until ({JobJson.Time(until.ToUnixTimeMilliseconds())})"];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var counts = await store.CountCrashesAsync(since.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds());
        // Every cause and every party is listed, zeros included, so dashboards need no special case for "none yet".
        var byCause = new JsonObject(CrashCause.All.Select(c => KeyValuePair.Create(c, (JsonNode?)counts.Where(x => x.Cause == c).Sum(x => x.Count))));
        var byNotify = new JsonObject(CrashNotify.All.Select(n => KeyValuePair.Create(n, (JsonNode?)counts.Where(x => x.Notify == n).Sum(x => x.Count))));
        return Results.Json(new JsonObject
        {
            ["since"] = JobJson.Time(since.ToUnixTimeMilliseconds()),
            ["until"] = JobJson.Time(until.ToUnixTimeMilliseconds()),
            ["total"] = counts.Sum(c => c.Count),
            ["fatal"] = counts.Sum(c => c.Fatal),
            ["rescheduled"] = counts.Sum(c => c.Rescheduled),
            ["by_cause"] = byCause,
            ["by_notify"] = byNotify,
            ["by_cause_and_notify"] = new JsonArray([.. counts.Select(c => (JsonNode)new JsonObject
            {
                ["cause"] = c.Cause,
                ["notify"] = c.Notify,
                ["count"] = c.Count,
                ["fatal"] = c.Fatal,
                ["rescheduled"] = c.Rescheduled,
            })]),
        });
    }

    /// <summary>An ISO 8601 time, or a span back from now such as <c>90m</c>, <c>24h</c> or <c>7d</c>.</summary>
    private static DateTimeOffset ReadTime(HttpRequest request, string name, DateTimeOffset now, DateTimeOffset fallback, Dictionary<string, string[]> errors)
    {
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 100_000)
        {
            TimeSpan? back = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (back is { } span)
            {
                return now - span;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        errors[name] = [$"'{text}' is neither an ISO 8601 time (2026-11-23T10:00:00Z) nor a span back from now (90m, 24h, 7d)"];
        return fallback;
    }
}
