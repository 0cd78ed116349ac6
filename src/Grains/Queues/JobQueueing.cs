using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Queues;

/// <summary>Puts stored pending jobs into their queues, making the queue key known to every silo first.</summary>
public sealed class JobQueueing(QueueKeyIndex queueKeys, IGrainFactory grains, ILogger<JobQueueing> logger)
{
    /// <summary>Enqueues <paramref name="job"/>; throws when the queue cannot be reached (the caller retries).</summary>
    public async Task EnqueueAsync(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        await queueKeys.EnsureRegisteredAsync(job.QueueKey);
        await grains.GetGrain<IQueueGrain>(job.QueueKey).Enqueue(job.ToPending());
    }

    /// <summary>
    /// Enqueues a job just submitted. Never throws: the job is durable, so the submit has succeeded, and its queue finds
    /// it when it next re-reads the table (see <see cref="QueueGrain"/>'s reconcile).
    /// </summary>
    public async Task EnqueueSubmittedAsync(JobRecord job)
    {
        try
        {
            await EnqueueAsync(job);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Job {JobId} stored but not yet enqueued in {QueueKey}", job.Id, job.QueueKey);
        }
    }
}
