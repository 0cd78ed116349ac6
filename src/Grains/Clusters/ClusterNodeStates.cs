namespace CompassCi.Grains.Clusters;

/// <summary>
/// The words a node's state holds, as compass-ci keeps them in its cluster state (and as the client reads them
/// back): empty until the node first waits, then <c>start</c>, <c>ready</c>, <c>finish</c>, or <c>abort</c>.
/// </summary>
public static class ClusterNodeStates
{
    /// <summary>The node's job exists but the node has not reached any barrier yet.</summary>
    public const string None = "";

    /// <summary>The node reached <see cref="BarrierTarget.Start"/>.</summary>
    public const string Start = "start";

    /// <summary>The node reached <see cref="BarrierTarget.Ready"/>.</summary>
    public const string Ready = "ready";

    /// <summary>The node reached <see cref="BarrierTarget.Finish"/>.</summary>
    public const string Finish = "finish";

    /// <summary>The node aborted or a program on it failed; final, and every barrier of the cluster fails.</summary>
    public const string Abort = "abort";

    /// <summary>The state word of <paramref name="target"/>.</summary>
    public static string Of(BarrierTarget target) => target switch
    {
        BarrierTarget.Start => Start,
        BarrierTarget.Ready => Ready,
        BarrierTarget.Finish => Finish,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "not a barrier"),
    };

    /// <summary>
    /// How far a state has come: 0 for none (or a word this code does not know), then 1, 2, 3 for start, ready,
    /// finish, the numbers of <see cref="BarrierTarget"/>. Abort has no rank; check it first.
    /// </summary>
    public static int Rank(string? state) => state switch
    {
        Start => (int)BarrierTarget.Start,
        Ready => (int)BarrierTarget.Ready,
        Finish => (int)BarrierTarget.Finish,
        _ => 0,
    };
}
