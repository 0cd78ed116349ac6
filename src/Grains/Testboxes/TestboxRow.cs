namespace CompassCi.Grains.Testboxes;

/// <summary>A registry row: what a testbox offers, when it was last heard from, and what it holds. Times in unix ms.</summary>
public sealed record TestboxRow(
    string Testbox,
    string? Host,
    string? TagsJson,
    long? MemoryMb,
    long? LastSeen,
    long? LastHeartbeat,
    long? HeartbeatDeadline,
    long? WaitingUntil,
    long? JobId,
    string? JobStage,
    bool HostQuarantined)
{
    /// <summary>The state the box last reported with lkp's <c>lkp-wtmp</c> (network_up, running, rebooting, …); null when none.</summary>
    public string? WtmpState { get; init; }

    /// <summary>Unix ms of that report.</summary>
    public long? WtmpTime { get; init; }
}
