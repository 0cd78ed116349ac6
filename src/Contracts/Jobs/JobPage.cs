namespace CompassCi.Contracts.Jobs;

/// <summary>A page of jobs, newest first, and the cursor of the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("CompassCi.JobPage.v1")]
public sealed record JobPage(
    [property: Id(0)] IReadOnlyList<JobView> Jobs,
    [property: Id(1)] string? Next);
