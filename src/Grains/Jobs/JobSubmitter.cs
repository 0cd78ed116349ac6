using CompassCi.Grains.Queues;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// Stores a new job and enqueues it. No JobGrain is activated for this: a new row has nothing to guard yet,
/// and activating (then deactivating) a grain per submit cost more than the insert itself. The job's grain
/// reads the row when something first happens to the job.
/// </summary>
public sealed class JobSubmitter(JobStore store, QueueKeyIndex queueKeys, IGrainFactory grains, ILogger<JobSubmitter> logger)
{
    /// <summary>True when stored (durably, before this returns); false when the id is taken by another job.</summary>
    public async Task<bool> SubmitAsync(JobRecord job)
    {
        if (!await store.InsertAsync(job))
        {
            return false;
        }

        await EnqueueAsync(job);
        return true;
    }

    /// <summary>Puts a stored pending job in its queue. Never throws: the queue's reconcile finds a job this misses.</summary>
    public async Task EnqueueAsync(JobRecord job)
    {
        try
        {
            await queueKeys.EnsureRegisteredAsync(job.QueueKey);
            await grains.GetGrain<IQueueGrain>(job.QueueKey).Enqueue(job.ToPending());
        }
        catch (Exception error)
        {
            // The job is durable, so the submit has succeeded; its queue finds it when it next re-reads
            // the table (see QueueGrain's reconcile).
            logger.LogWarning(error, "Job {JobId} stored but not yet enqueued in {QueueKey}", job.Id, job.QueueKey);
        }
    }
}
