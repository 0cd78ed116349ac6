using CompassCi.Api;
using CompassCi.Grains;
using CompassCi.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);

// Every setting is checked before anything starts; a bad one stops the silo, naming the key and what it allows.
using var bootLoggers = LoggerFactory.Create(l => l.AddCompassCiConsole(builder.Configuration));
var boot = bootLoggers.CreateLogger("CompassCi.Silo");
if (ConfigurationCheck.Problems(builder.Configuration) is { Count: > 0 } problems)
{
    foreach (var problem in problems)
    {
        boot.LogCritical("Configuration error: {Problem}", problem);
    }

    return ConfigurationCheck.BadConfigurationExitCode;
}

var options = builder.Configuration.GetSection(CompassCiOptions.Section).Get<CompassCiOptions>() ?? new CompassCiOptions();
builder.WebHost.UseUrls(ListenUrls.For(builder.Configuration, options));

// The configured database, or a private MariaDB under DataDirectory; migrated either way.
var (connectionString, privateDatabase) = await DatabaseBootstrap.PrepareAsync(options, bootLoggers, CancellationToken.None);
await using var stopDatabaseAtExit = privateDatabase;

builder.Services.AddCompassCiGrains(builder.Configuration, connectionString);
// Bounded even when the database is already gone: Orleans would otherwise keep retrying its membership update.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
builder.Services.AddCompassCiApi(builder.Configuration);
// Before Orleans: the meter provider starts (and listens) before the silo does, so nothing the silo counts at start is lost.
builder.AddCompassCiTelemetry(options);
builder.UseCompassCiOrleans(options, connectionString);
builder.AddCompassCiLogging();
// Our own limit (Api:MaxBodyBytes) answers 413 with a message; Kestrel's would only cut the connection.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);

var app = builder.Build();
app.UseCompassCiApi();
app.MapCompassCiMetrics(options);
if (privateDatabase is not null)
{
    PrivateDatabaseSupervision.Attach(privateDatabase, app.Services);
}

var stoppedInTime = await BoundedShutdown.RunAsync(app, options.ShutdownTimeout);
// The private database (disposed right after this) is stopped only now, after the silo: the silo's own shutdown
// still writes to it.
return privateDatabase is { ServerLost.IsCancellationRequested: true } ? PrivateDatabaseSupervision.DatabaseLostExitCode
    : stoppedInTime ? 0 : BoundedShutdown.AbandonedExitCode;
