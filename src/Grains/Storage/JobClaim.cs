namespace CompassCi.Grains.Storage;

/// <summary>
/// One hand-out a queue asks for: job <paramref name="JobId"/> to <paramref name="Testbox"/> (on <paramref name="Host"/>)
/// under consume request <paramref name="LeaseId"/>, fenced on its <paramref name="Attempt"/> (0: the request cannot be
/// retried, no fence) or, for a request's first attempt that has not been counted yet, on its <paramref name="Token"/>
/// (the claim records the attempt itself: see <see cref="JobClaimStore"/>), with what the hand-out writes besides (its boot time, its lease's deadline and its history
/// entry, from <see cref="Lifecycle.JobTransitions.LeaseFor"/>).
/// </summary>
public sealed record JobClaim(long JobId, string Testbox, string LeaseId, int Attempt, string? Host, Lifecycle.JobLease Lease, string? Token = null);
