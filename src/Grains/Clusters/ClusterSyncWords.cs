namespace CompassCi.Grains.Clusters;

/// <summary>
/// The words of lkp-cluster-sync: the <c>state</c> a client asks with
/// (<c>cgi-bin/lkp-cluster-sync?job_id=…&amp;state=wait_ready</c>) and the bare word a waiting request is
/// answered with, which lkp's <c>wait_cluster_state</c> reads: <c>start</c>, <c>ready</c> or <c>finish</c> to go
/// on, <c>abort</c> to give up, <c>retry</c> to ask again (it asks up to 100 times).
/// </summary>
public static class ClusterSyncWords
{
    /// <summary>The answer that tells a waiting client to ask again.</summary>
    public const string Retry = "retry";

    /// <summary>The answer that tells a waiting client to give up.</summary>
    public const string Abort = ClusterNodeStates.Abort;

    private static readonly Dictionary<string, ClusterSyncOperation> Operations = new(StringComparer.Ordinal)
    {
        ["write_state"] = ClusterSyncOperation.WriteState,
        ["wait_start"] = ClusterSyncOperation.WaitStart,
        ["started"] = ClusterSyncOperation.Started,
        ["wait_ready"] = ClusterSyncOperation.WaitReady,
        ["wait_finish"] = ClusterSyncOperation.WaitFinish,
        ["finished"] = ClusterSyncOperation.Finished,
        ["abort"] = ClusterSyncOperation.Abort,
        ["failed"] = ClusterSyncOperation.Failed,
        ["roles_ip"] = ClusterSyncOperation.RolesIp,
    };

    /// <summary>Every <c>state</c> word a client may send, for error messages.</summary>
    public static IReadOnlyCollection<string> StateWords => Operations.Keys;

    /// <summary>
    /// The operation <paramref name="state"/> names. Words are matched exactly, as lkp sends them; anything else
    /// (including a missing word) is rejected, so a client bug is a 400 and not a silent no-op.
    /// </summary>
    public static bool TryParse(string? state, out ClusterSyncOperation operation) =>
        Operations.TryGetValue(state ?? string.Empty, out operation);

    /// <summary>
    /// The barrier an operation makes its node reach and then wait at: <c>wait_start</c> → start,
    /// <c>started</c> → start, <c>wait_ready</c> → ready, <c>wait_finish</c> and <c>finished</c> → finish. False for the others, which
    /// answer at once.
    /// </summary>
    public static bool TryGetTarget(ClusterSyncOperation operation, out BarrierTarget target)
    {
        BarrierTarget? found = operation switch
        {
            ClusterSyncOperation.WaitStart or ClusterSyncOperation.Started => BarrierTarget.Start,
            ClusterSyncOperation.WaitReady => BarrierTarget.Ready,
            ClusterSyncOperation.WaitFinish or ClusterSyncOperation.Finished => BarrierTarget.Finish,
            _ => null,
        };
        target = found.GetValueOrDefault();
        return found.HasValue;
    }

    /// <summary>True for <c>abort</c> and <c>failed</c>, which both mark the node aborted.</summary>
    public static bool Aborts(ClusterSyncOperation operation) =>
        operation is ClusterSyncOperation.Abort or ClusterSyncOperation.Failed;

    /// <summary>
    /// The bare word that answers a waiting request: the target's word (<c>start</c>, <c>ready</c>,
    /// <c>finish</c>) when reached, <c>abort</c> on abort, and <c>retry</c> while waiting, which a server that
    /// stops waiting before the client's timeout sends so the client asks again.
    /// </summary>
    public static string Answer(BarrierOutcome outcome, BarrierTarget target) => outcome switch
    {
        BarrierOutcome.Reached => ClusterNodeStates.Of(target),
        BarrierOutcome.Abort => Abort,
        _ => Retry,
    };
}
