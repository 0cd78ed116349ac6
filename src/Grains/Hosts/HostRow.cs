namespace CompassCi.Grains.Hosts;

/// <summary>A host's row: its last wipe and its quarantine. Times in unix ms.</summary>
public sealed record HostRow(
    string Host,
    long? WipedAt,
    bool Quarantined,
    long? QuarantinedAt,
    string? QuarantineReason,
    string? SuspectsJson,
    long? HealthCheckJobId,
    long? ReleasedAt,
    string? ReleaseReason)
{
    /// <summary>A host nobody wiped or quarantined yet.</summary>
    public static HostRow Fresh(string host) => new(host, null, false, null, null, null, null, null, null);
}
