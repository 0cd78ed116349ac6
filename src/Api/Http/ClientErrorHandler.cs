using Microsoft.AspNetCore.Diagnostics;

namespace CompassCi.Api.Http;

/// <summary>
/// A request Kestrel found broken while an endpoint was reading it (a malformed chunk, a body slower than the minimum
/// data rate, a body shorter than its Content-Length) is the client's fault: its 4xx with a message, never a 500.
/// Endpoints that read bodies answer this themselves through <see cref="RequestBody"/>; this catches the rest.
/// </summary>
public sealed class ClientErrorHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        await RequestBody.Unreadable(badRequest).ExecuteAsync(httpContext);
        return true;
    }
}
