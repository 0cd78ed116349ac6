namespace CompassCi.Grains.Effects;

/// <summary>One recorded effect: which job's change (its id and the version the change wrote) caused it, and how many deliveries it has had.</summary>
public sealed record OutboxEntry(long JobId, int Version, JobEffect Effect, int Attempts);
