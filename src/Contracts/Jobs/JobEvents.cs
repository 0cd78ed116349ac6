namespace CompassCi.Contracts.Jobs;

/// <summary>
/// One answer of a watch: the changes after the position asked for, in order (possibly none when the wait ran out),
/// and the position to ask from next.
/// </summary>
/// <param name="Events">The changes, oldest first.</param>
/// <param name="Next">Where to resume: the last event's <see cref="JobEvent.Id"/>; when there were none, the position asked for or, in a many-job watch, a later one the watch has moved past (nothing was skipped).</param>
/// <param name="NotFound">No job has the id (a one-job watch only).</param>
[GenerateSerializer, Immutable, Alias("CompassCi.JobEvents.v1")]
public sealed record JobEvents(
    [property: Id(0)] IReadOnlyList<JobEvent> Events,
    [property: Id(1)] string? Next,
    [property: Id(2)] bool NotFound = false);
