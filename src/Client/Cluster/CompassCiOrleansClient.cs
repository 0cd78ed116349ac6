using System.Runtime.CompilerServices;
using CompassCi.Contracts.Jobs;
using CompassCi.Contracts.Watch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Polly;

namespace CompassCi.Client.Cluster;

/// <summary>
/// <see cref="ICompassCiClient"/> over the cluster's grains (<see cref="IJobsGrain"/>, <see cref="IJobWatchGrain"/>):
/// for CI bots that reach the silos directly. It either owns an Orleans client host it builds from
/// <see cref="OrleansClientOptions"/> (<see cref="ConnectAsync"/>), or wraps an <see cref="IClusterClient"/> the bot
/// already has, or a silo's own <see cref="IGrainFactory"/> (the constructor; then the host stays its owner's).
/// </summary>
/// <remarks>
/// Which calls are retried on <see cref="TransientClusterFailures"/>, within the options' time budget: reads (get,
/// list, every watch round), a submit whose job has a <c>submit_id</c> (<see cref="SubmitIdempotency"/>), a consume
/// with a <see cref="ConsumeAsk.RequestId"/>. Never retried: a submit without <c>submit_id</c> or a consume without a
/// request id (a repeat could create or take a second job), cancel, renew (a repeated renew extends twice), stage
/// changes and finishes (a repeat after a lost answer is refused as an illegal move, which would hide the first
/// one's success). Their transient failures reach the caller as they are.
/// </remarks>
public sealed class CompassCiOrleansClient : ICompassCiClient
{
    private readonly IGrainFactory _cluster;
    private readonly IHost? _ownedHost;
    private readonly ResiliencePipeline _retrying;
    private readonly ClusterResilienceOptions _resilience;

    /// <summary>
    /// A client over <paramref name="cluster"/>: an <see cref="IClusterClient"/> the caller started and will stop, or
    /// any other grain factory (a silo's, for a service inside the cluster).
    /// </summary>
    public CompassCiOrleansClient(IGrainFactory cluster, ClusterResilienceOptions? resilience = null)
        : this(cluster, null, resilience ?? new ClusterResilienceOptions())
    {
    }

    private CompassCiOrleansClient(IGrainFactory cluster, IHost? ownedHost, ClusterResilienceOptions resilience)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
        _ownedHost = ownedHost;
        _resilience = resilience;
        _retrying = ClusterResilience.Retrying(resilience);
    }

    /// <summary>
    /// Builds and starts an Orleans client host for the cluster <paramref name="options"/> name, finding its gateways
    /// in the membership table; the client owns the host and stops it when disposed.
    /// </summary>
    public static async Task<CompassCiOrleansClient> ConnectAsync(OrleansClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new HostBuilder()
            .UseOrleansClient(client => client
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                })
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = options.Invariant;
                    o.ConnectionString = options.ConnectionString;
                }))
            .Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new CompassCiOrleansClient(host.Services.GetRequiredService<IClusterClient>(), host, options.Resilience);
    }

    private IJobsGrain Jobs => _cluster.GetGrain<IJobsGrain>(0);

    private IJobWatchGrain Watch => _cluster.GetGrain<IJobWatchGrain>(0);

    /// <inheritdoc/>
    public Task<SubmitResult> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return SubmitIdempotency.HasSubmitId(submission)
            ? RetryAsync(() => Jobs.Submit(submission), cancellationToken)
            : OnceAsync(() => Jobs.Submit(submission), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<JobView?> GetJobAsync(string id, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Jobs.Get(id), cancellationToken);

    /// <inheritdoc/>
    public async Task<JobPage> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RetryAsync(() => Jobs.List(query), cancellationToken);
        }
        catch (InvalidQueryException invalid)
        {
            // The grain names the wrong field as the REST API's 400 does.
            throw Refusal(400, invalid.Field, invalid.Problem);
        }
    }

    /// <inheritdoc/>
    public Task<CancelResult> CancelAsync(string id, CancellationToken cancellationToken = default) =>
        OnceAsync(() => Jobs.Cancel(id), cancellationToken);

    /// <inheritdoc/>
    public async Task<JobView> RenewAsync(string id, int seconds, string? testbox = null, CancellationToken cancellationToken = default) =>
        Changed(await OnceAsync(() => Jobs.Renew(id, seconds, testbox), cancellationToken));

    /// <inheritdoc/>
    public async Task<JobView> ChangeStageAsync(string id, string stage, string? testbox = null, CancellationToken cancellationToken = default) =>
        Changed(await OnceAsync(() => Jobs.ChangeStage(id, stage, testbox), cancellationToken));

    /// <inheritdoc/>
    public async Task<JobView> FinishAsync(string id, string health, CrashReport? crash = null, string? testbox = null, CancellationToken cancellationToken = default) =>
        Changed(await OnceAsync(() => Jobs.Finish(id, health, crash, testbox), cancellationToken));

    /// <inheritdoc/>
    public Task<ConsumeResult> ConsumeAsync(ConsumeAsk ask, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ask);
        return ask.RequestId is not null
            ? RetryAsync(() => Jobs.Consume(ask), cancellationToken)
            : OnceAsync(() => Jobs.Consume(ask), cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<JobEvent> WatchJobAsync(string id, string? after = null, CancellationToken cancellationToken = default) =>
        PollAsync(position => Watch.Job(id, position, _resilience.WatchRound), after, $"no job has the id '{id}'", cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<JobEvent> WatchAsync(WatchFilter filter, string? after = null, CancellationToken cancellationToken = default) =>
        PollAsync(position => Watch.Jobs(filter, position, _resilience.WatchRound), after, null, cancellationToken);

    /// <summary>Stops the client host this client built; a wrapped <see cref="IClusterClient"/> is left to its owner.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownedHost is not null)
        {
            await _ownedHost.StopAsync();
            _ownedHost.Dispose();
        }
    }

    /// <summary>
    /// A watch as long polls: each round asks from the last position seen, so a round lost to a silo's death (retried
    /// here from the same position) neither skips nor repeats an event.
    /// </summary>
    private async IAsyncEnumerable<JobEvent> PollAsync(Func<string?, Task<JobEvents>> round, string? after, string? notFound, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = after;
        while (!cancellationToken.IsCancellationRequested)
        {
            var from = position;
            var answer = await RetryAsync(() => round(from), cancellationToken);
            if (answer.NotFound)
            {
                throw Refusal(404, "id", notFound ?? "not found");
            }

            foreach (var change in answer.Events)
            {
                yield return change;
            }

            position = answer.Next ?? position;
        }
    }

    /// <summary>A call safe to repeat: through the retrying pipeline; the caller's token ends it (and its waits) early.</summary>
    private async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        await _retrying.ExecuteAsync(async token => await call().WaitAsync(token), cancellationToken);

    /// <summary>A call not safe to repeat: tried once; the caller's token stops the wait for it (not the call itself).</summary>
    private static Task<T> OnceAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        call().WaitAsync(cancellationToken);

    /// <summary>A change's answer as the interface gives it: the job, or the REST status's refusal naming the field.</summary>
    private static JobView Changed(JobChangeResult result) => result.Status switch
    {
        JobChangeStatus.Changed => result.Job!,
        JobChangeStatus.NotFound => throw Refusal(404, result.Field ?? "id", result.Message ?? "not found"),
        JobChangeStatus.Invalid => throw Refusal(400, result.Field ?? "body", result.Message ?? "invalid"),
        _ => throw Refusal(409, result.Field ?? "job_stage", result.Message ?? "the change is not allowed now"),
    };

    private static CompassCiException Refusal(int status, string field, string message) =>
        new(status, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });
}
