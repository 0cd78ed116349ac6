namespace CompassCi.Grains.Hosts;

/// <summary>Host blame and quarantine (section <c>CompassCi:Hosts</c>).</summary>
public sealed class HostPolicyOptions
{
    /// <summary>Consecutive jobs on a host that must crash with cause <c>testbox</c> before it is quarantined. Default 2.</summary>
    public int ConsecutiveCrashes { get; set; } = 2;

    /// <summary>
    /// Health-check jobs by tbox_group, each a job document as JSON (with <c>suite</c> and <c>my_account</c>). When a
    /// host is quarantined, the one for the failing testbox's group is submitted to run on that testbox; when it
    /// succeeds, the host is released.
    /// </summary>
    public Dictionary<string, string> HealthCheckJobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How far back "seen recently" reaches when explaining why a job waits. Default 24 h.</summary>
    public TimeSpan SeenWindow { get; set; } = TimeSpan.FromHours(24);
}
