using CompassCi.Grains.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CompassCi.Silo.Hosting;

/// <summary>
/// Traces of the silo: one trace from a REST call through its grain calls to its database statements. Called only when
/// there is somewhere to send them (see <see cref="TelemetryHosting"/>); the OTLP exporter takes its endpoint, protocol,
/// headers and batching from the standard <c>OTEL_*</c> variables.
/// </summary>
public static class TracingHosting
{
    /// <summary>MySqlConnector's ActivitySource: one span per connection open and per statement or batch (without the SQL text).</summary>
    private const string MySqlConnectorSource = "MySqlConnector";

    /// <summary>
    /// The sources of one trace: ASP.NET Core's server span, Orleans' grain-call spans (carried from silo to silo by
    /// activity propagation, see <see cref="OrleansHosting"/>), the scheduler's own (<see cref="SchedulerTracing"/>:
    /// the long-poll wait, the shared commits) and MySqlConnector's statements.
    /// </summary>
    public static OpenTelemetryBuilder AddCompassCiTracing(this OpenTelemetryBuilder telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        telemetry.WithTracing(t => t
            .AddSource(
                Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName,
                Orleans.Diagnostics.ActivitySources.RuntimeActivitySourceName,
                SchedulerTracing.SourceName,
                MySqlConnectorSource)
            .AddAspNetCoreInstrumentation());
        return telemetry;
    }
}
