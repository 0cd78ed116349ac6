using System.Net.Mime;

namespace CompassCi.Api.Http;

/// <summary>
/// RFC 9457 problem details, with <c>errors</c> naming each bad field and a one-line <c>error</c> for
/// clients (and people with curl) that only read that.
/// </summary>
public static class Problems
{
    /// <summary>400 (or another 4xx) naming the fields at fault.</summary>
    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest)
    {
        var summary = string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
        return Result(status, "The request is not valid.", summary, errors);
    }

    /// <summary>A problem about a single field.</summary>
    public static IResult Field(string field, string message, int status = StatusCodes.Status400BadRequest) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, status);

    /// <summary>404 for something that does not exist.</summary>
    public static IResult NotFound(string field, string message) =>
        Result(StatusCodes.Status404NotFound, "Not found.", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>503 with Retry-After, for a dependency that is down; never the client's fault.</summary>
    public static IResult Unavailable(string detail, int retryAfterSeconds = 5) =>
        new RetryAfterResult(Result(StatusCodes.Status503ServiceUnavailable, "Service unavailable.", detail, null), retryAfterSeconds);

    private static IResult Result(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = detail };
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }

        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }

    internal const string Json = MediaTypeNames.Application.Json;
}
