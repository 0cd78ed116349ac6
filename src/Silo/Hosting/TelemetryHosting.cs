using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CompassCi.Silo.Hosting;

/// <summary>OpenTelemetry for the silo.</summary>
public static class TelemetryHosting
{
    /// <summary>
    /// Metrics are cheap and always on; traces cost an activity per request and grain call, so they are collected only
    /// when there is somewhere to send them (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
    /// </summary>
    public static WebApplicationBuilder AddCompassCiTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter("Microsoft.Orleans").AddAspNetCoreInstrumentation().AddRuntimeInstrumentation());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(t => t.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddAspNetCoreInstrumentation());
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
