using CompassCi.Contracts.Jobs;
using CompassCi.Contracts.Watch;

namespace CompassCi.Client;

/// <summary>
/// The scheduler as a CI bot or tool sees it, whatever the transport: <c>Http.CompassCiHttpClient</c> speaks the
/// REST API, <c>Cluster.CompassCiOrleansClient</c> calls the cluster's grains. Both retry what is safe to repeat
/// (reads; submit with a <c>submit_id</c>; consume with a <c>request_id</c>) on transient failures, within a time
/// budget, and never repeat the rest blindly.
/// Failures the scheduler answers are <see cref="CompassCiException"/>s carrying its status and field errors; a
/// submit's refusal is its <see cref="SubmitResult"/> instead (status and errors), as the grain answers.
/// </summary>
public interface ICompassCiClient : IAsyncDisposable
{
    /// <summary>Submits one job; see <see cref="IJobsGrain.Submit"/>. Retried only when the job has a <c>submit_id</c>.</summary>
    Task<SubmitResult> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken = default);

    /// <summary>The job, or null when no job has the id.</summary>
    Task<JobView?> GetJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A page of jobs, newest first.</summary>
    Task<JobPage> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Cancels a job; see <see cref="IJobsGrain.Cancel"/>.</summary>
    Task<CancelResult> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Extends a held job's deadline; throws <see cref="CompassCiException"/> (404, 409, 400) when it cannot.</summary>
    Task<JobView> RenewAsync(string id, int seconds, string? testbox = null, CancellationToken cancellationToken = default);

    /// <summary>Moves a held job to its next stage; throws <see cref="CompassCiException"/> when it cannot.</summary>
    Task<JobView> ChangeStageAsync(string id, string stage, string? testbox = null, CancellationToken cancellationToken = default);

    /// <summary>Ends a held job; throws <see cref="CompassCiException"/> when it cannot.</summary>
    Task<JobView> FinishAsync(string id, string health, CrashReport? crash = null, string? testbox = null, CancellationToken cancellationToken = default);

    /// <summary>Asks for work as a testbox; retried only with a <see cref="ConsumeAsk.RequestId"/>.</summary>
    Task<ConsumeResult> ConsumeAsync(ConsumeAsk ask, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every change of one job, in order, from after <paramref name="after"/> (a <see cref="JobEvent.Id"/>; null: from
    /// its first), until cancelled. Reconnects by itself from the last event seen: no gap, no duplicate. Throws
    /// <see cref="CompassCiException"/> (404) when no job has the id.
    /// </summary>
    IAsyncEnumerable<JobEvent> WatchJobAsync(string id, string? after = null, CancellationToken cancellationToken = default);

    /// <summary>Every change of the jobs <paramref name="filter"/> matches, from after <paramref name="after"/> (null: from now), until cancelled.</summary>
    IAsyncEnumerable<JobEvent> WatchAsync(WatchFilter filter, string? after = null, CancellationToken cancellationToken = default);
}
