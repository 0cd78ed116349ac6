namespace CompassCi.Contracts.Jobs;

/// <summary>What a submit did.</summary>
/// <param name="Status">Created, already submitted, invalid or a <c>submit_id</c> conflict.</param>
/// <param name="Jobs">The jobs: one, or every node job of a multi-node cluster (the first one's id is the cluster id). Empty unless created or already submitted.</param>
/// <param name="Errors">Messages by the field at fault (<c>suite</c>, <c>memory</c>, <c>submit_id</c>, <c>body</c>, …); empty on success.</param>
/// <param name="Warnings">Things the submitter should know now, such as no testbox seen lately offering the job's tags.</param>
[GenerateSerializer, Immutable, Alias("CompassCi.SubmitResult.v1")]
public sealed record SubmitResult(
    [property: Id(0)] SubmitStatus Status,
    [property: Id(1)] IReadOnlyList<JobView> Jobs,
    [property: Id(2)] IReadOnlyDictionary<string, string[]> Errors,
    [property: Id(3)] IReadOnlyList<string> Warnings);
