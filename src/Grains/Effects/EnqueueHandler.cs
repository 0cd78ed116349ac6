using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Effects;

/// <summary>Puts a job that is pending (again) into its queue; a job no longer pending is left alone, and a queue keeps one copy of a job.</summary>
public sealed class EnqueueHandler(JobStore jobs, JobQueueing queueing) : IJobEffectHandler
{
    public string Kind => JobEffectKinds.Enqueue;

    public bool Detached => false;

    public async Task HandleAsync(OutboxEntry entry)
    {
        if (await jobs.GetAsync(entry.Effect.Subject ?? entry.JobId) is { Stage: JobStages.Submit } job)
        {
            await queueing.EnqueueAsync(job);
        }
    }
}
