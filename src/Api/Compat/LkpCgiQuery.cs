using System.Globalization;
using CompassCi.Api.Http;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Jobs;

namespace CompassCi.Api.Compat;

/// <summary>
/// The query parameters of compass-ci's cgi calls, read and checked the same way for each: a missing or malformed
/// value is a 400 naming it, never a 500 (compass-ci answers those with 500 and a text); and the grain's answer turned
/// into compass-ci's plain-text body or a problem naming the field.
/// </summary>
internal static class LkpCgiQuery
{
    /// <summary>The value of <paramref name="name"/>, or null when absent or empty.</summary>
    public static string? Param(HttpRequest request, string name) =>
        request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>The job the call names by <c>job_id</c>, or a 400 when it names none.</summary>
    public static (long Id, IResult? Problem) JobId(HttpRequest request)
    {
        var text = request.Query["job_id"].ToString();
        if (text.Length == 0)
        {
            return (0, Problems.Field("job_id", "is required: the id of the job this testbox runs"));
        }

        return JobEndpoints.TryParseId(text, out var id)
            ? (id, null)
            : (0, Problems.Field("job_id", $"is '{text}', which is not a job id (a positive decimal number)"));
    }

    /// <summary>A whole number of seconds in [<paramref name="min"/>, int.MaxValue], or a 400 naming <paramref name="name"/>.</summary>
    public static (int? Value, IResult? Problem) Seconds(HttpRequest request, string name, int min)
    {
        if (Param(request, name) is not { } text)
        {
            return (null, null);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? (value, null)
            : (null, Problems.Field(name, $"is '{text}'; it must be a whole number of seconds, at least {min}"));
    }

    /// <summary>The job from <paramref name="grains"/>, or a 404 naming <c>job_id</c>.</summary>
    public static IJobGrain Grain(IGrainFactory grains, long id) => grains.GetGrain<IJobGrain>(JobEndpoints.Key(id));

    /// <summary>
    /// compass-ci's <c>Done</c> for a change that landed; otherwise 404 (no such job) or 409 (the job's state refuses it:
    /// ended, not held, a move the stage table forbids), naming <paramref name="field"/> or the field the refusal is about.
    /// </summary>
    public static IResult Answer(JobUpdateOutcome outcome, long id, string field, string body = Done) =>
        outcome switch
        {
            { NotFound: true } => NotFound(id),
            { Job: not null } => Results.Text(body),
            _ => Problems.Field(outcome.ConflictField ?? field, outcome.Conflict ?? "the job cannot take this report now", StatusCodes.Status409Conflict),
        };

    /// <summary>404 for a job id no job has.</summary>
    public static IResult NotFound(long id) => Problems.NotFound("job_id", $"no job has the id '{id.ToString(CultureInfo.InvariantCulture)}'");

    /// <summary>compass-ci's answer to a report that was taken.</summary>
    public const string Done = "Done";
}
