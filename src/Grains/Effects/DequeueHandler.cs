namespace CompassCi.Grains.Effects;

/// <summary>Takes an ended job out of its queue at once. Were this lost, a later claim would be refused by the job anyway.</summary>
public sealed class DequeueHandler(IGrainFactory grains) : IJobEffectHandler
{
    public string Kind => JobEffectKinds.Dequeue;

    public bool Detached => false;

    public Task HandleAsync(OutboxEntry entry) => grains.GetGrain<IQueueGrain>(entry.Effect.Target).Remove(entry.JobId);
}
