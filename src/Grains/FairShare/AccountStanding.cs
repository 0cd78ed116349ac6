namespace CompassCi.Grains.FairShare;

/// <summary>
/// One account in the merged fair-share picture: its shares (1 when it has no <c>accounts</c> row), its usage decayed to
/// the picture's time, the jobs testboxes hold for it, its running cap (null: none), and its queued (pending) jobs.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccountStanding(
    [property: Id(0)] string Account,
    [property: Id(1)] int Shares,
    [property: Id(2)] double Usage,
    [property: Id(3)] int Held,
    [property: Id(4)] int? RunningCap,
    [property: Id(5)] bool Registered,
    [property: Id(6)] int Queued = 0);
