namespace CompassCi.Grains.Jobs;

/// <summary>
/// Result of a stage change or finish: the job after the change, or why nothing changed
/// (<see cref="NotFound"/>, or a <see cref="Conflict"/> that names the job's current stage, or the request field of
/// <see cref="ConflictField"/> it is about).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobUpdateOutcome(
    [property: Id(0)] JobRecord? Job,
    [property: Id(1)] string? Conflict,
    [property: Id(2)] bool NotFound = false,
    [property: Id(3)] string? ConflictField = null);
