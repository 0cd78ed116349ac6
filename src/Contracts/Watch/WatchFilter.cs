namespace CompassCi.Contracts.Watch;

/// <summary>
/// Which jobs a many-job watch follows: every field given must match (null: any). An account caller of the REST API
/// only ever sees its own jobs, whatever it asks for.
/// </summary>
[GenerateSerializer, Immutable, Alias("CompassCi.WatchFilter.v1")]
public sealed record WatchFilter
{
    /// <summary>The submitting account (<c>my_account</c>).</summary>
    [Id(0)] public string? MyAccount { get; init; }

    /// <summary>The lkp-tests suite.</summary>
    [Id(1)] public string? Suite { get; init; }

    /// <summary>The testbox group asked for.</summary>
    [Id(2)] public string? TboxGroup { get; init; }

    /// <summary>The testbox asked for, or holding the job.</summary>
    [Id(3)] public string? Testbox { get; init; }
}
