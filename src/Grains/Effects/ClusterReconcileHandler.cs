namespace CompassCi.Grains.Effects;

/// <summary>
/// Makes a cluster's barrier reconcile with its node jobs. Detached: the barrier may close node jobs, this one among them.
/// </summary>
public sealed class ClusterReconcileHandler(IGrainFactory grains) : IJobEffectHandler
{
    public string Kind => JobEffectKinds.ClusterReconcile;

    public bool Detached => true;

    public Task HandleAsync(OutboxEntry entry) => grains.GetGrain<IClusterBarrierGrain>(entry.Effect.Target).Reconcile();
}
