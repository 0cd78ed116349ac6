namespace CompassCi.Grains.Scheduling;

/// <summary>What a job needs from a testbox, read from its document by <see cref="JobRequirementsReader"/>.</summary>
/// <param name="QueueKey">
/// The job's tags in canonical form (<see cref="TagSet.CanonicalKey"/>): every job with the same key waits in
/// the same queue, and a testbox may take from it when it offers all of those tags. <c>*</c> when there are none.
/// </param>
/// <param name="Tags">The required tags, sorted by key (ordinal), aliases already folded into their canonical names.</param>
/// <param name="MemoryMb">The least memory the testbox must have, in MiB; 0 when the job states none.</param>
/// <param name="Priority">0 to 9; higher runs first.</param>
/// <param name="Testbox">The one testbox the job asks for, if any.</param>
/// <param name="TboxGroup">The testbox group, as given or as implied by <paramref name="Testbox"/>.</param>
/// <param name="Arch">The CPU architecture, if the job names one.</param>
public sealed record JobRequirements(
    string QueueKey,
    IReadOnlyDictionary<string, string> Tags,
    long MemoryMb,
    int Priority,
    string? Testbox,
    string? TboxGroup,
    string? Arch);
