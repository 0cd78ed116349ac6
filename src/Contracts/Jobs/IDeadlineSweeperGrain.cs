namespace CompassCi.Contracts.Jobs;

/// <summary>
/// Finds jobs past their deadline (key 0): an unconfirmed lease goes back to its queue, any other stage
/// times out. It reads the indexed <c>(job_stage, deadline)</c> columns instead of keeping a timer per job.
/// </summary>
public interface IDeadlineSweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the sweeper is active; each silo calls it periodically, so it survives failovers.</summary>
    Task Start();
}
