namespace CompassCi.Grains.FairShare;

/// <summary>
/// What a silo saw of one account since its last exchange: jobs that became held minus those that stopped being held,
/// the usage the ended ones added, and how many of them finished and with what usage (for the mean job length; a job
/// given back before it ran adds usage but is no finished job), and the change in its queued (pending) jobs, which
/// quotas read.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UsageDelta(
    [property: Id(0)] string Account,
    [property: Id(1)] int HeldChange,
    [property: Id(2)] double Usage,
    [property: Id(3)] int Finished,
    [property: Id(4)] double FinishedUsage,
    [property: Id(5)] int QueuedChange = 0);
