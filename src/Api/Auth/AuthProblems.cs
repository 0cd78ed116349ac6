namespace CompassCi.Api.Auth;

/// <summary>The answers to a refused call: 401 with <c>WWW-Authenticate: Bearer</c> or 403, as problem details naming the field and why.</summary>
public static class AuthProblems
{
    public static IResult Refuse(AccessDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var title = decision.Status == StatusCodes.Status401Unauthorized ? "Unauthorized." : "Forbidden.";
        var problem = Results.Problem(
            detail: $"{decision.Field}: {decision.Message}",
            statusCode: decision.Status,
            title: title,
            extensions: new Dictionary<string, object?>
            {
                ["error"] = $"{decision.Field}: {decision.Message}",
                ["errors"] = new Dictionary<string, string[]> { [decision.Field] = [decision.Message] },
            });
        return decision.Status == StatusCodes.Status401Unauthorized ? new Challenge(problem) : problem;
    }

    private sealed class Challenge(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
