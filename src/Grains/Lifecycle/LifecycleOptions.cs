namespace CompassCi.Grains.Lifecycle;

/// <summary>How long a testbox has to confirm a job, how often it must heartbeat, and how often overdue jobs are looked for (section <c>CompassCi:Lifecycle</c>).</summary>
public sealed class LifecycleOptions
{
    /// <summary>Seconds a consumed job stays leased to its testbox without a confirmation. Default 300.</summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>How often the sweeper looks for expired leases and overdue deadlines. Default 10 s.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a testbox should heartbeat when it does not say. Default 60 s.</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 60;

    /// <summary>Heartbeats a testbox may miss before the job it holds is declared crashed. Default 3.</summary>
    public int MissedHeartbeats { get; set; } = 3;
}
