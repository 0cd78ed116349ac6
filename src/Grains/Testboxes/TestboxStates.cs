namespace CompassCi.Grains.Testboxes;

/// <summary>What a registered testbox is doing, worked out from its row when asked rather than stored and kept up to date.</summary>
public static class TestboxStates
{
    public const string Idle = "idle";
    public const string Requesting = "requesting";
    public const string Booting = "booting";
    public const string Running = "running";
    public const string Offline = "offline";
    public const string Quarantined = "quarantined";

    /// <summary>Every state, so a count by state can show the ones no box is in as 0.</summary>
    public static IReadOnlyList<string> All { get; } = [Idle, Requesting, Booting, Running, Offline, Quarantined];

    /// <summary>
    /// The state of <paramref name="row"/> at <paramref name="nowMillis"/>. A quarantined host outranks everything;
    /// a box past its heartbeat window is offline even if it holds a job (that job is about to crash); then what it
    /// holds; then a consume it is waiting in; a box not heard from for <paramref name="silentAfter"/> is offline.
    /// </summary>
    public static string Of(TestboxRow row, long nowMillis, TimeSpan silentAfter)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.HostQuarantined)
        {
            return Quarantined;
        }

        if (row.HeartbeatDeadline is { } deadline && deadline < nowMillis)
        {
            return Offline;
        }

        if (row.JobStage is { } stage)
        {
            return stage == JobStages.Boot ? Booting : Running;
        }

        if (row.WaitingUntil is { } until && until > nowMillis)
        {
            return Requesting;
        }

        return row.LastSeen is { } seen && seen >= nowMillis - (long)silentAfter.TotalMilliseconds ? Idle : Offline;
    }
}
