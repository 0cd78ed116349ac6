namespace CompassCi.Grains.Effects;

/// <summary>Tells a host that a job on it ended; the host grain re-reads the job and its history, so telling it twice is harmless.</summary>
public sealed class HostJobEndedHandler(IGrainFactory grains) : IJobEffectHandler
{
    public string Kind => JobEffectKinds.HostJobEnded;

    public bool Detached => false;

    public Task HandleAsync(OutboxEntry entry) => grains.GetGrain<IHostLifecycleGrain>(entry.Effect.Target).JobEnded(entry.JobId);
}
