using System.Globalization;
using CompassCi.Grains.Compat;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Compat;

/// <summary>
/// compass-ci's echo, <c>GET /</c> (and <c>/scheduler/</c>): <c>LKP Alive! The time is 2026-05-01 10:20:30 +08:00, version = 0.2.0</c>,
/// the time as Crystal prints a local time, in the configured zone (<see cref="CompatOptions.TimeZone"/>).
/// </summary>
public static class CompassAlive
{
    /// <summary>The scheduler version compass-ci's <c>scheduler.cr</c> announces; lkp tools only look for the words.</summary>
    public const string Version = "0.2.0";

    public static IEndpointRouteBuilder MapCompassAliveEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var pattern in new[] { "/", "/scheduler/" })
        {
            app.MapGet(pattern, (IOptions<CompatOptions> options, TimeProvider clock) => Results.Text(Line(clock.GetUtcNow(), options.Value.Zone(clock.LocalTimeZone)), "text/html; charset=utf-8"))
                .WithTags("Compat")
                .WithSummary("compass-ci's alive line.");
        }

        return app;
    }

    /// <summary>The line for <paramref name="now"/> in <paramref name="zone"/>.</summary>
    public static string Line(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = local.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        return $"LKP Alive! The time is {time}, version = {Version}";
    }
}
