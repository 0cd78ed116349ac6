using System.Net;
using OpenTelemetry;
using Orleans.Configuration;
using CompassCi.Api;
using CompassCi.Api.Http;
using CompassCi.Grains.Clusters;
using CompassCi.Grains.Dispatch;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Jobs;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Queues;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Testboxes;
using Microsoft.Extensions.Options;
using CompassCi.Silo.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

const string Invariant = "MySql.Data.MySqlConnector";

var builder = WebApplication.CreateBuilder(args);
var options = builder.Configuration.GetSection("CompassCi").Get<CompassCiOptions>() ?? new CompassCiOptions();
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls(options.HttpUrl);
}

using var bootLoggers = LoggerFactory.Create(l => l.AddConsole());
var (connectionString, privateDatabase) = await DatabaseBootstrap.PrepareAsync(options, bootLoggers, CancellationToken.None);
await using var stopDatabaseAtExit = privateDatabase;

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.Configure<JobStoreOptions>(builder.Configuration.GetSection("CompassCi:JobStore"));
builder.Services.PostConfigure<JobStoreOptions>(o => o.ConnectionString = connectionString);
builder.Services.Configure<QueueGrainOptions>(builder.Configuration.GetSection("CompassCi:Queues"));
builder.Services.Configure<ApiOptions>(builder.Configuration.GetSection("CompassCi:Api"));
builder.Services.AddSingleton<JobStore>();
builder.Services.AddSingleton<JobIdGenerator>();
builder.Services.AddSingleton<QueueKeyIndex>();
builder.Services.AddSingleton<JobDispatcher>();
builder.Services.AddSingleton<JobSubmitter>();
builder.Services.AddSingleton<TestboxStore>();
builder.Services.AddSingleton<TestboxSightings>();
builder.Services.AddSingleton<ClusterStore>();
builder.Services.AddSingleton<ClusterSubmitter>();
builder.Services.AddSingleton<HostStore>();
builder.Services.AddSingleton<TestboxRegistry>();
builder.Services.AddSingleton<QuarantinedHosts>();
builder.Services.Configure<HostPolicyOptions>(builder.Configuration.GetSection("CompassCi:Hosts"));
builder.Services.Configure<ClusterJobOptions>(builder.Configuration.GetSection("CompassCi:Clusters"));
builder.Services.Configure<ReschedulePolicyOptions>(builder.Configuration.GetSection("CompassCi:Reschedule"));
builder.Services.AddSingleton(sp => new ReschedulePolicy(sp.GetRequiredService<IOptions<ReschedulePolicyOptions>>().Value));
builder.Services.AddHostedService<ConsumeRequestJanitor>();
builder.Services.AddHostedService<SweeperKeepAlive>();
builder.Services.Configure<LifecycleOptions>(builder.Configuration.GetSection("CompassCi:Lifecycle"));
builder.Services.AddExceptionHandler<TransientFailureHandler>();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);

builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = options.ClusterId;
        o.ServiceId = options.ServiceId;
    });
    silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("CompassCi:Membership"));
    silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), FreePort.OrPick(options.SiloPort), FreePort.OrPick(options.GatewayPort));
    silo.UseAdoNetClustering(o =>
    {
        o.Invariant = Invariant;
        o.ConnectionString = connectionString;
    });
    silo.UseAdoNetReminderService(o =>
    {
        o.Invariant = Invariant;
        o.ConnectionString = connectionString;
    });
    silo.AddAdoNetGrainStorageAsDefault(o =>
    {
        o.Invariant = Invariant;
        o.ConnectionString = connectionString;
    });
});

// Metrics are cheap and always on; traces cost an activity per request and grain call, so they are
// collected only when there is somewhere to send them.
var telemetry = builder.Services.AddOpenTelemetry()
    .WithMetrics(m => m.AddMeter("Microsoft.Orleans").AddAspNetCoreInstrumentation().AddRuntimeInstrumentation());
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    telemetry.WithTracing(t => t.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddAspNetCoreInstrumentation());
    telemetry.UseOtlpExporter();
}

var app = builder.Build();
app.UseExceptionHandler();
app.MapOpenApi();
app.MapCompassCiApi();
await app.RunAsync();
