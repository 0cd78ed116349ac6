namespace CompassCi.Contracts.Jobs;

/// <summary>Which jobs to list, newest first; every filter given must match. The REST API's <c>GET /api/v1/jobs</c> query.</summary>
[GenerateSerializer, Immutable, Alias("CompassCi.JobListQuery.v1")]
public sealed record JobListQuery
{
    /// <summary>One of <see cref="JobStages"/>.</summary>
    [Id(0)] public string? Stage { get; init; }

    /// <summary>The submitting account.</summary>
    [Id(1)] public string? MyAccount { get; init; }

    /// <summary>The lkp-tests suite.</summary>
    [Id(2)] public string? Suite { get; init; }

    /// <summary>The testbox group asked for.</summary>
    [Id(3)] public string? TboxGroup { get; init; }

    /// <summary>The testbox asked for, or holding the job.</summary>
    [Id(4)] public string? Testbox { get; init; }

    /// <summary>At most this many (1–1000).</summary>
    [Id(5)] public int Limit { get; init; } = 100;

    /// <summary>The <see cref="JobPage.Next"/> of the page before, for the following page.</summary>
    [Id(6)] public string? After { get; init; }
}
