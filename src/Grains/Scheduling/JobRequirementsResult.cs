namespace CompassCi.Grains.Scheduling;

/// <summary>The outcome of <see cref="JobRequirementsReader.Read"/>: requirements, or the reasons there are none.</summary>
/// <param name="Requirements">The requirements; null exactly when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Messages by field, the field named as the client wrote it (<c>memory</c>, <c>hw.memory</c>, <c>tags.arch</c>).</param>
public sealed record JobRequirementsResult(JobRequirements? Requirements, IReadOnlyDictionary<string, string[]> Errors);
