namespace CompassCi.Grains.Jobs;

/// <summary>
/// The rules of a job list's stage, limit and cursor, as <c>GET /api/v1/jobs</c> states them, for
/// <see cref="IJobsGrain.List"/>: the first field at fault with its message, or the decoded cursor.
/// </summary>
public static class JobListRules
{
    /// <summary>The most jobs one page may hold.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Checks <paramref name="query"/>: the field at fault and why, or (no field) the id the page starts before.</summary>
    public static (string? Field, string Message, long? BeforeId) Check(JobListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Stage is { } stage && !JobStages.All.Contains(stage))
        {
            return ("job_stage", $"'{stage}' is not a stage; use one of {string.Join(", ", JobStages.All)}", null);
        }

        if (query.Limit < 1 || query.Limit > MaxLimit)
        {
            return ("limit", $"'{query.Limit}' is not a whole number from 1 to {MaxLimit}", null);
        }

        if (query.After is { } cursor)
        {
            return JobPageCursor.TryDecode(cursor, out var last) ? (null, string.Empty, last) : ("after", JobPageCursor.InvalidMessage, null);
        }

        return (null, string.Empty, null);
    }
}
