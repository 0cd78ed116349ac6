namespace CompassCi.Contracts.Jobs;

/// <summary>One job to submit, as the REST API takes it: a JSON object, or YAML when <see cref="ContentType"/> says so.</summary>
/// <param name="Body">The job document: lkp fields (<c>suite</c>, <c>my_account</c>, <c>testbox</c>, …), and an optional
/// <c>submit_id</c> (a string of the client's choosing, unique per account) that makes the submit safe to repeat.</param>
/// <param name="ContentType">Null or <c>application/json</c> for JSON; <c>application/yaml</c> for YAML.</param>
[GenerateSerializer, Immutable, Alias("CompassCi.JobSubmission.v1")]
public sealed record JobSubmission(
    [property: Id(0)] string Body,
    [property: Id(1)] string? ContentType = null);
