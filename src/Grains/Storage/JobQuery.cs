namespace CompassCi.Grains.Storage;

/// <summary>
/// Filters for a page of jobs, newest first. <see cref="BeforeId"/> is the cursor. <see cref="Errid"/>: jobs whose
/// extraction found that errid; <see cref="Stat"/>: jobs whose stats have that key, within [<see cref="StatMin"/>,
/// <see cref="StatMax"/>] when given.
/// </summary>
public sealed record JobQuery(
    string? Stage = null,
    string? Account = null,
    string? Suite = null,
    string? TboxGroup = null,
    string? Testbox = null,
    long? BeforeId = null,
    int Limit = 100,
    string? Errid = null,
    string? Stat = null,
    double? StatMin = null,
    double? StatMax = null);
