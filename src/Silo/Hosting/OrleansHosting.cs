using System.Net;
using CompassCi.Grains.Results.Pipeline;
using Orleans.Configuration;

namespace CompassCi.Silo.Hosting;

/// <summary>The Orleans silo of this process: its cluster, endpoints, membership and reminders, all on the scheduler's database.</summary>
public static class OrleansHosting
{
    /// <summary>ADO.NET's name for MySqlConnector (not Oracle's MySql.Data driver).</summary>
    private const string Invariant = "MySql.Data.MySqlConnector";

    public static WebApplicationBuilder UseCompassCiOrleans(this WebApplicationBuilder builder, CompassCiOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("CompassCi:Membership"));
            // A database error in a grain on another silo must reach the caller as itself (its error number and message
            // decide 503 or 400). Orleans only serializes exceptions of namespaces it was told about; for any other it
            // fails the whole response with CodecNotFoundException, which the caller could only answer with a 500.
            silo.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("MySqlConnector"));
            // A grain call carries its caller's trace context (to another silo too), so a REST call, its grain calls and
            // their database statements make one trace. Spans are only made while a tracer listens (OTLP configured).
            silo.AddActivityPropagation();
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
            // The results pipeline's trigger. Memory streams: the trigger only; the outbox's extract effect is the
            // truth and the sweeper publishes it again after a crash lost it (docs/design.md, Results). Only implicit
            // subscribers, so no pub-sub store.
            // Each job's stream carries one or two events: its pulling agent forgets it after a minute of quiet
            // rather than the default half hour (at 40 ended jobs a second, that is 72,000 cursors held for nothing).
            silo.AddMemoryStreams(ResultsTrigger.Provider, streams =>
            {
                streams.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(agent => agent.Configure(o => o.StreamInactivityPeriod = TimeSpan.FromMinutes(1)));
            });
        });
        return builder;
    }
}
