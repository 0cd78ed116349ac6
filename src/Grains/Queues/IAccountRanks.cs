namespace CompassCi.Grains.Queues;

/// <summary>
/// How a queue weighs accounts against each other: their fair-share rank (lower goes first) and whether they are at
/// their running cap (then their jobs wait). Implemented by the silo's <see cref="FairShare.UsageLedger"/>.
/// </summary>
public interface IAccountRanks
{
    /// <summary>False: jobs go in the old order (priority, submit time, id); caps still hold.</summary>
    bool Enabled { get; }

    /// <summary>The account's place in line now; lower runs first.</summary>
    double Rank(string account);

    /// <summary>True when the account holds (or is being handed) as many jobs as its running cap allows.</summary>
    bool AtCap(string account);
}
