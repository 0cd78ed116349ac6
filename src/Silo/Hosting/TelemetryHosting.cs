using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CompassCi.Silo.Hosting;

/// <summary>OpenTelemetry for the silo.</summary>
public static class TelemetryHosting
{
    /// <summary>
    /// Metrics are cheap and on unless <c>CompassCi:Metrics</c> is false (scraped at <c>/metrics</c>, see <see cref="MapCompassCiMetrics"/>); traces cost an activity per request and grain call, so they are collected only
    /// when there is somewhere to send them (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
    /// </summary>
    public static WebApplicationBuilder AddCompassCiTelemetry(this WebApplicationBuilder builder, CompassCiOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var telemetry = builder.Services.AddOpenTelemetry();
        if (options.Metrics)
        {
            telemetry.WithMetrics(m => m
                .AddMeter(Grains.Telemetry.SchedulerMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        }

        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.AddCompassCiTracing();
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, <c>GET /metrics</c>, on the REST port.</summary>
    public static WebApplication MapCompassCiMetrics(this WebApplication app, CompassCiOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Metrics)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        return app;
    }
}
