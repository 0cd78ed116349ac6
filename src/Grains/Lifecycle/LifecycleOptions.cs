namespace CompassCi.Grains.Lifecycle;

/// <summary>How long a testbox has to confirm a job, and how often overdue jobs are looked for (section <c>CompassCi:Lifecycle</c>).</summary>
public sealed class LifecycleOptions
{
    /// <summary>Seconds a consumed job stays leased to its testbox without a confirmation. Default 300.</summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>How often the sweeper looks for expired leases and overdue deadlines. Default 10 s.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);
}
