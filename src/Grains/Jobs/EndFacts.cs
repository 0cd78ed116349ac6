namespace CompassCi.Grains.Jobs;

/// <summary>
/// What a job's end needs from outside the job, gathered by its grain before it asks the transitions: the job's
/// <c>host_lifecycle</c> (from its host's history) and an id for the attempt that would replace it.
/// </summary>
public sealed record EndFacts(string? HostLifecycle, long SuccessorId);
