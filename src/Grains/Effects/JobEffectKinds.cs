namespace CompassCi.Grains.Effects;

/// <summary>
/// The kinds of effect a job's change can cause. Each has one <see cref="IJobEffectHandler"/>. New post-finish work
/// (result extraction, plugins, notifications, index updates) is a new kind here and a new handler, recorded by the
/// transitions that cause it.
/// </summary>
public static class JobEffectKinds
{
    /// <summary>A job on a host ended: the host decides about wipes, quarantine and release.</summary>
    public const string HostJobEnded = "host_job_ended";

    /// <summary>A node job ended or was cancelled: its cluster's barrier reconciles (aborts, or finishes).</summary>
    public const string ClusterReconcile = "cluster_reconcile";

    /// <summary>A job is pending again, or a successor was stored: put it in its queue.</summary>
    public const string Enqueue = "enqueue";

    /// <summary>A pending job ended: take it out of its queue at once.</summary>
    public const string Dequeue = "dequeue";

    /// <summary>
    /// A job a testbox held ended: run its results pipeline (extraction, then the post-extract plugins). Done when the
    /// pipeline ends, not when it is triggered.
    /// </summary>
    public const string Extract = "extract";
}
