using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results;

/// <summary>The result fields the server writes into a job's document at submit, as compass-ci does.</summary>
public static class ResultFields
{
    /// <summary>
    /// Sets <c>result_root</c> (for id <paramref name="id"/>, on the date <paramref name="submitTimeMillis"/> falls on in
    /// <paramref name="zone"/>: compass-ci uses the server's local date) and <c>all_params_md5</c>, replacing whatever
    /// the client sent. The job's insert also writes them into the <c>jobs</c> columns of the same names (JobRecord's
    /// ResultRoot and AllParamsMd5, read from the document by <c>NewJob</c>).
    /// </summary>
    public static void Stamp(JsonObject document, long id, long submitTimeMillis, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(document);
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(submitTimeMillis), zone);
        document[ResultRoot.Field] = ResultRoot.For(document, id, DateOnly.FromDateTime(local.DateTime));
        document[AllParamsMd5.Field] = AllParamsMd5.Of(document);
    }

    /// <summary>
    /// The result_root of a rescheduled attempt: the crashed job's, under the new id (the last segment), so each attempt
    /// uploads into a folder of its own. Null when the crashed job had none (stored before results existed).
    /// </summary>
    public static string? ForSuccessor(string? crashedResultRoot, long newId)
    {
        var slash = crashedResultRoot?.LastIndexOf('/') ?? -1;
        if (crashedResultRoot is null || slash <= 0)
        {
            return null;
        }

        return crashedResultRoot[..(slash + 1)] + newId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
