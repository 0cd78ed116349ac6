namespace CompassCi.Grains.Dispatch;

/// <summary>
/// What a consume took: the job now held by the testbox (null when nothing matched in time), and the consume request's
/// attempt that took or found it. Giving the job back (the answer never reached the testbox) is fenced on that attempt,
/// so a late give-back can never undo the answer a later attempt of the same request gave.
/// </summary>
public sealed record ConsumeOutcome(JobRecord? Job, int Attempt);
