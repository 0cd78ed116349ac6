using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;
using CompassCi.Grains.Text;

namespace CompassCi.Api.Http;

/// <summary>
/// The request target (path and query) must be text: percent-escapes that decode to bytes that are not UTF-8, or to
/// control characters, are refused with a 400 naming the parameter. ASP.NET would decode the first to U+FFFD and pass
/// the second on, so a filter or a name would silently mean something other than what was sent.
/// </summary>
public static class RequestTarget
{
    /// <summary>Adds the check; it must come after routing, so that a bad path segment is named by its route parameter.</summary>
    public static IApplicationBuilder UseRequestTargetCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        // Every request passes here: one with no escape and no raw control character has nothing to check.
        if (!raw.Contains('%', StringComparison.Ordinal) && !raw.Any(c => c < 0x20 || c == 0x7F))
        {
            await next(context);
            return;
        }

        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var (path, query) = queryStart < 0 ? (raw, string.Empty) : (raw[..queryStart], raw[(queryStart + 1)..]);
        if ((PathProblem(path, context.GetEndpoint() as RouteEndpoint) ?? QueryProblem(query)) is { } problem)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    private static IResult? PathProblem(string path, RouteEndpoint? endpoint)
    {
        var segments = path.Split('/');
        var pattern = endpoint?.RoutePattern.PathSegments;
        for (var i = 0; i < segments.Length; i++)
        {
            // segments[0] is the empty text before the leading '/'; the pattern's segments start after it.
            var part = i > 0 && pattern is not null && i - 1 < pattern.Count ? pattern[i - 1].Parts : null;
            var field = part is [RoutePatternParameterPart parameter] ? parameter.Name : "path";
            if (Problem(field, segments[i]) is { } problem)
            {
                return problem;
            }

            // An escaped dot segment is decoded and then removed by the server, so the request would reach another
            // route than the one it names (/hosts/%2e%2e/wiped is /wiped).
            if (segments[i].Contains('%', StringComparison.Ordinal) && PercentDecoding.Bytes(segments[i]) is { } bytes && bytes.All(b => b == '.') && bytes.Length is 1 or 2)
            {
                return Problems.Field(field, "is '.' or '..' written with percent-escapes, which would change the path");
            }
        }

        return null;
    }

    private static IResult? QueryProblem(string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            // The parameter is named in the message only when its own name is clean text.
            var field = PercentDecoding.Bytes(name) is { } decoded && Utf8.IsValid(decoded) && !decoded.Any(IsControl) ? Encoding.UTF8.GetString(decoded) : "query";
            if (Problem(field, pair) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static IResult? Problem(string field, string encoded)
    {
        if (!encoded.Contains('%', StringComparison.Ordinal) && !encoded.Any(c => c < 0x20 || c == 0x7F))
        {
            return null;
        }

        var bytes = PercentDecoding.Bytes(encoded);
        if (bytes is null)
        {
            return Problems.Field(field, "holds a '%' that is not followed by two hex digits");
        }

        if (!Utf8.IsValid(bytes))
        {
            return Problems.Field(field, "percent-decodes to bytes that are not UTF-8 text");
        }

        return bytes.Any(IsControl) ? Problems.Field(field, "holds control characters (NUL, line breaks, tabs, …)") : null;
    }

    private static bool IsControl(byte b) => b < 0x20 || b == 0x7F;
}
