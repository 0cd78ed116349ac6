using CompassCi.Grains.Configuration;
using CompassCi.Grains.Dispatch;
using CompassCi.Grains.Effects;
using CompassCi.Grains.FairShare;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Results;
using CompassCi.Grains.Results.Extraction;
using CompassCi.Grains.Results.Notifications;
using CompassCi.Grains.Results.Pipeline;
using CompassCi.Grains.Results.Regression;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Submit;
using CompassCi.Grains.Testboxes;
using CompassCi.Grains.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace CompassCi.Grains;

/// <summary>Registers everything the grains and the use cases need, in one place.</summary>
public static class GrainServiceCollectionExtensions
{
    /// <summary>The options of the grains, each bound from its section and checked at start.</summary>
    public static IServiceCollection AddCompassCiGrainOptions(this IServiceCollection services, IConfiguration configuration) => services
        .AddCheckedOptions<JobStoreOptions>(configuration)
        .AddCheckedOptions<QueueGrainOptions>(configuration)
        .AddCheckedOptions<LifecycleOptions>(configuration)
        .AddCheckedOptions<ReschedulePolicyOptions>(configuration)
        .AddCheckedOptions<HostPolicyOptions>(configuration)
        .AddCheckedOptions<ClusterJobOptions>(configuration)
        .AddCheckedOptions<JobEffectOptions>(configuration)
        .AddCheckedOptions<JobIdOptions>(configuration)
        .AddCheckedOptions<ResultOptions>(configuration)
        .AddCheckedOptions<ExtractionOptions>(configuration)
        .AddCheckedOptions<Compat.CompatOptions>(configuration)
        .AddCheckedOptions<PipelineOptions>(configuration)
        .AddCheckedOptions<RegressionOptions>(configuration)
        .AddCheckedOptions<WebhookOptions>(configuration)
        .AddCheckedOptions<Accounts.QuotaOptions>(configuration)
        .AddCheckedOptions<Accounts.AuthOptions>(configuration)
        .AddCheckedOptions<FairShareOptions>(configuration)
        .AddCheckedOptions<FailPointOptions>(configuration)
        .AddCheckedOptions<Watch.WatchOptions>(configuration);

    /// <summary>The grains' services on the scheduler database at <paramref name="connectionString"/>.</summary>
    public static IServiceCollection AddCompassCiGrains(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddCompassCiGrainOptions(configuration);
        var skew = configuration.GetSection(FailPointOptions.Section).GetValue<TimeSpan>(nameof(FailPointOptions.ClockOffset));
        services.TryAddSingleton(skew == TimeSpan.Zero ? TimeProvider.System : new SkewedClock(skew));

        // One pool for every store. No per-open connection reset: every statement commits or rolls back and leaves no
        // session state behind (the one session variable, JobStore.Written, is set before each use).
        services.AddSingleton(_ => new MySqlDataSource(
            new MySqlConnectionStringBuilder(connectionString) { ConnectionReset = false, AllowUserVariables = true }.ConnectionString));
        services.AddSingleton<GroupCommitter>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobClaimStore>();
        services.AddSingleton<JobQueries>();
        services.AddSingleton<ConsumeRequestStore>();
        services.AddSingleton<SubmitKeyStore>();
        services.AddSingleton<JobEffectStore>();
        services.AddSingleton<ClusterStore>();
        services.AddSingleton<HostStore>();
        services.AddSingleton<TestboxStore>();
        services.AddSingleton<CompatHostStore>();
        services.AddSingleton<Telemetry.SchedulerMetrics>();
        services.AddSingleton<Telemetry.QueueLoads>();
        services.AddSingleton<IdNodeStore>();
        services.AddSingleton<ResultStepStore>();
        services.AddSingleton<JobResultsStore>();
        // Live job watches (SSE and IJobWatchGrain): the histories they read and the long polls over them.
        services.AddSingleton<JobWatchStore>();
        services.AddSingleton<Watch.JobWatch>();
        services.AddSingleton<ResultFiles>();
        services.AddSingleton<FairShareStore>();
        services.AddSingleton<UsageLedger>();
        services.AddSingleton<ResultExtractor>();

        services.AddSingleton<JobIdGenerator>();
        services.AddSingleton<QueueKeyIndex>();
        services.AddSingleton<JobQueueing>();
        services.AddSingleton<JobDispatcher>();
        services.AddSingleton<ClusterPlanner>();
        services.AddSingleton<JobSubmitter>();
        Accounts.AccountServiceCollectionExtensions.AddCompassCiAccounts(services);
        services.AddSingleton<TestboxSightings>();
        services.AddSingleton<TestboxRegistry>();
        services.AddSingleton<QuarantinedHosts>();
        // The one consume path: the REST endpoints and IJobsGrain.Consume both take work through it.
        services.AddSingleton<TestboxConsumer>();
        services.AddSingleton(sp => new ReschedulePolicy(sp.GetRequiredService<IOptions<ReschedulePolicyOptions>>().Value));
        services.AddSingleton(sp => new JobTransitions(
            sp.GetRequiredService<ReschedulePolicy>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<LifecycleOptions>>().Value.LeaseSeconds),
            sp.GetRequiredService<IOptions<LifecycleOptions>>().Value.RenewCeiling));

        // Every line a job's, host's, cluster's or queue's grain logs names it as a field (docs/operations.md, Logs).
        // (What the runtime's AddIncomingGrainCallFilter does; that extension lives in Orleans.Runtime, which this project does not reference.)
        services.AddSingleton<IIncomingGrainCallFilter, Logging.GrainLogScopeFilter>();

        services.AddSingleton<FailPoints>();
        services.AddSingleton<JobEffectRunner>();
        services.AddSingleton<IJobEffectHandler, HostJobEndedHandler>();
        services.AddSingleton<IJobEffectHandler, ClusterReconcileHandler>();
        services.AddSingleton<IJobEffectHandler, EnqueueHandler>();
        services.AddSingleton<IJobEffectHandler, DequeueHandler>();
        services.AddSingleton<IJobEffectHandler, ExtractHandler>();

        // The results pipeline: extraction, then the post-extract plugins (which run, in which order: PipelineOptions).
        services.AddSingleton<ExtractStep>();
        services.AddSingleton<PipelineRunner>();
        services.AddSingleton<IPostExtractPlugin, RegressionPlugin>();
        services.AddSingleton<IPostExtractPlugin, NotificationPlugin>();

        // First: the silo takes its job id node number before it serves anything.
        services.AddHostedService<JobIdNodeLease>();
        services.AddHostedService<StorageJanitor>();
        // Loops that call grains run while the silo is active (ActiveSiloLoop), not as hosted services.
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SweeperKeepAlive>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, UsageExchange>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Telemetry.SchedulerGauges>();
        return services;
    }
}
