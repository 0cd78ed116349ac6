namespace CompassCi.Api.Http;

/// <summary>
/// A request that matches no route (404) or no method of its route (405) gets a problem saying so, like every
/// other 4xx, instead of an empty body a client cannot tell from a proxy's.
/// </summary>
public static class RouteProblems
{
    /// <summary>Adds the messages; only answers without a body of their own are given one.</summary>
    public static IApplicationBuilder UseRouteProblems(this IApplicationBuilder app) => app.UseStatusCodePages(async status =>
    {
        var context = status.HttpContext;
        var request = context.Request;
        IResult? problem = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => Problems.NotFound("path", $"no endpoint answers {request.Method} {request.Path}; the API is described at /openapi/v1.json"),
            StatusCodes.Status405MethodNotAllowed => Problems.Field(
                "method",
                $"{request.Method} is not allowed on {request.Path}" + (context.Response.Headers.Allow is { Count: > 0 } allow ? $"; use {allow}" : string.Empty),
                StatusCodes.Status405MethodNotAllowed),
            _ => null,
        };
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
        }
    });
}
