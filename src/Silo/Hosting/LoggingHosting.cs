using CompassCi.Silo.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Logs;

namespace CompassCi.Silo.Hosting;

/// <summary>
/// The silo's logs: the console (written in batches) in the format <c>CompassCi:LogFormat</c> names, and over OTLP too when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter is <see cref="TelemetryHosting"/>'s <c>UseOtlpExporter</c>,
/// which turns on all three signals). Either way the log scopes' fields (job_id, testbox, host, cluster_id, account)
/// go with each line as fields of their own, so "where is job X" is one query in the log store.
/// </summary>
public static class LoggingHosting
{
    /// <summary>The JSON console's timestamp: UTC, to the millisecond, ISO 8601.</summary>
    private const string UtcTimestamp = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

    public static WebApplicationBuilder AddCompassCiLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddCompassCiConsole(builder.Configuration);
        // Used only when an OTLP endpoint turns the OpenTelemetry logger on: the scopes as attributes, and the message as
        // written (not only its template), so a log store shows the same line as the console.
        builder.Services.Configure<OpenTelemetryLoggerOptions>(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });
        return builder;
    }

    /// <summary>
    /// The console logger in the configured format. Also used for the log written before the configuration is checked
    /// (a container gets its configuration errors as JSON too); an unknown format is then plain text, and refused by
    /// the check.
    /// </summary>
    public static ILoggingBuilder AddCompassCiConsole(this ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        logging.AddConsole();
        if (LogFormat.IsJson(configuration[$"{CompassCiOptions.Section}:{nameof(CompassCiOptions.LogFormat)}"]))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = UtcTimestamp;
            });
        }

        // The framework's console logger registers the formatters and binds their options; its lines are written by
        // ours, in batches (see BatchedConsoleLoggerProvider).
        foreach (var console in logging.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
        {
            logging.Services.Remove(console);
        }

        logging.Services.AddSingleton<ILoggerProvider, BatchedConsoleLoggerProvider>();
        return logging;
    }
}
