namespace CompassCi.Grains.Queues;

/// <summary>How queues keep their cache in step with the <c>jobs</c> table.</summary>
public sealed class QueueGrainOptions
{
    /// <summary>
    /// How often a queue re-reads recently submitted pending jobs, to pick up a job whose enqueue was lost
    /// (its silo died between storing it and enqueuing it). Default 30 s.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back a reconcile looks. Default 10 minutes.</summary>
    public TimeSpan ReconcileWindow { get; set; } = TimeSpan.FromMinutes(10);
}
