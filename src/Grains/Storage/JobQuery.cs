namespace CompassCi.Grains.Storage;

/// <summary>Filters for a page of jobs, newest first. <see cref="BeforeId"/> is the cursor.</summary>
public sealed record JobQuery(
    string? Stage = null,
    string? Account = null,
    string? Suite = null,
    string? TboxGroup = null,
    string? Testbox = null,
    long? BeforeId = null,
    int Limit = 100);
