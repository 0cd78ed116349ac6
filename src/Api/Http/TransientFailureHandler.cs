using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Diagnostics;

namespace CompassCi.Api.Http;

/// <summary>
/// Turns failures of our dependencies (database down, slow or restarting, a silo gone mid-call) into 503 with
/// Retry-After, so clients retry instead of treating our outage as their mistake. A value the database refused is the
/// request's fault and never transient: 400 naming the column (validation should have caught it; the log says so).
/// Anything else stays a 500: our bug.
/// </summary>
public sealed class TransientFailureHandler(ILogger<TransientFailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (DatabaseFailures.DataError(exception) is var (column, problem))
        {
            logger.LogWarning(exception, "Validation missed a value the database refused on {Path}: column {Column}: {Problem}", httpContext.Request.Path, column, problem);
            await Problems.Field(column, $"the database refused the value: {problem}").ExecuteAsync(httpContext);
            return true;
        }

        if (DatabaseFailures.Classify(exception) == DatabaseFailureKind.Transient
            || (exception is OperationCanceledException && !httpContext.RequestAborted.IsCancellationRequested))
        {
            logger.LogWarning(exception, "Dependency failure on {Path}", httpContext.Request.Path);
            await Problems.Unavailable($"a dependency is unavailable ({exception.GetType().Name}); retry shortly").ExecuteAsync(httpContext);
            return true;
        }

        return false;
    }
}
