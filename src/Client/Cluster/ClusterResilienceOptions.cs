namespace CompassCi.Client.Cluster;

/// <summary>
/// The retry of calls safe to repeat: exponential backoff with jitter from <see cref="BaseDelay"/> up to
/// <see cref="MaxDelay"/>, at most <see cref="MaxRetries"/> times, all within <see cref="TotalBudget"/> per call.
/// The defaults outlast a silo's death being noticed by the cluster (its calls fail until then).
/// </summary>
public sealed class ClusterResilienceOptions
{
    /// <summary>The first retry's delay (before jitter); each next one doubles.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between two tries.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most retries of one call (after its first try).</summary>
    public int MaxRetries { get; set; } = 30;

    /// <summary>How long one call may take, all its tries and delays together; past it the call fails with a timeout.</summary>
    public TimeSpan TotalBudget { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Told of each failure about to be retried (for the bot's log or metrics); null: nobody is told.</summary>
    public Action<Exception>? OnRetry { get; set; }

    /// <summary>How long one round of a watch waits at the server for a change (kept under Orleans' 30 s response timeout).</summary>
    public TimeSpan WatchRound { get; set; } = TimeSpan.FromSeconds(20);
}
