namespace CompassCi.Grains.Effects;

/// <summary>
/// Work that a change of a job causes elsewhere (tell the host, reconcile the cluster, put a job in its queue). It is
/// recorded in the same transaction as the change (the outbox, table <c>job_effects</c>) and delivered after it, so it
/// happens even if the silo dies in between; every handler is safe to run twice.
/// </summary>
/// <param name="Kind">One of <see cref="JobEffectKinds"/>; names its handler.</param>
/// <param name="Target">What the effect acts on: a host, a cluster id, a queue key.</param>
/// <param name="Subject">The job it is about when that is not the job whose change caused it (a rescheduled job's successor).</param>
public sealed record JobEffect(string Kind, string Target, long? Subject = null);
