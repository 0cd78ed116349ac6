namespace CompassCi.Grains.Testboxes;

/// <summary>Whether a testbox's host may receive work: quarantined hosts get none but their health-check job.</summary>
public sealed record HostGate(bool Quarantined, string? Reason, long? HealthCheckJobId)
{
    public static HostGate Open { get; } = new(false, null, null);
}
