namespace CompassCi.Contracts.Jobs;

/// <summary>What a consume did: the job handed over with its secret, or why none was.</summary>
[GenerateSerializer, Immutable, Alias("CompassCi.ConsumeResult.v1")]
public sealed record ConsumeResult(
    [property: Id(0)] ConsumeStatus Status,
    [property: Id(1)] JobView? Job,
    [property: Id(2)] string? JobSecret,
    [property: Id(3)] IReadOnlyDictionary<string, string[]> Errors,
    [property: Id(4)] string? Message = null);
