using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Diagnostics;
using MySqlConnector;

namespace CompassCi.Api.Http;

/// <summary>
/// Turns failures of our dependencies (database down, a silo gone mid-call) into 503 with Retry-After,
/// so clients retry instead of treating our outage as their mistake. Anything else stays a 500: our bug.
/// </summary>
public sealed class TransientFailureHandler(ILogger<TransientFailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransient(exception))
        {
            return false;
        }

        logger.LogWarning(exception, "Dependency failure on {Path}", httpContext.Request.Path);
        await Problems.Unavailable($"a dependency is unavailable ({exception.GetType().Name}); retry shortly").ExecuteAsync(httpContext);
        return true;
    }

    private static bool IsTransient(Exception exception) => exception switch
    {
        MySqlException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or OrleansException
            or CompassCi.Grains.Jobs.JobIdsUnavailableException => true,
        AggregateException a => a.InnerExceptions.All(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
