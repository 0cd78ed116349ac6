using CompassCi.Grains.Results.Pipeline;

namespace CompassCi.Grains.Logging;

/// <summary>Which grains are about one job, host, cluster or queue, and so name it, by their key, in every line they log.</summary>
public static class GrainScopeField
{
    /// <summary>
    /// The <see cref="LogFields"/> field a grain of class <paramref name="grainClass"/> is keyed by; null for the grains
    /// that are about no one thing (the sweeper, the fair-share and directory singletons, tokens).
    /// </summary>
    public static string? For(Type grainClass) =>
        grainClass == typeof(JobGrain) || grainClass == typeof(ResultsGrain) ? LogFields.JobId
        : grainClass == typeof(HostLifecycleGrain) ? LogFields.Host
        : grainClass == typeof(ClusterBarrierGrain) ? LogFields.ClusterId
        : grainClass == typeof(QueueGrain) ? LogFields.Queue
        : null;
}
