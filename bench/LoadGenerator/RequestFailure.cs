using System.Net;
using System.Net.Http;

namespace CompassCi.LoadGenerator;

/// <summary>Names a failed attempt and says whether the contract lets it be retried.</summary>
public static class RequestFailure
{
    /// <summary>5xx: the server may not have acted, or acted and lost the reply; a retry with the same request_id is safe.</summary>
    public static bool IsRetryable(HttpStatusCode status) => (int)status >= 500;

    /// <summary>
    /// Connection refused or reset, malformed answers, and per-attempt timeouts (HttpClient's TaskCanceledException,
    /// <see cref="KeepAliveConnection"/>'s TimeoutException); deadline cancellation is not one of these.
    /// </summary>
    public static bool IsTransport(Exception exception, CancellationToken deadline) => exception switch
    {
        HttpRequestException or IOException or TimeoutException => true,
        TaskCanceledException => !deadline.IsCancellationRequested,
        _ => false,
    };

    public static string Describe(HttpStatusCode status) => $"HTTP {(int)status} {status}";

    public static string Describe(Exception exception) =>
        exception is TaskCanceledException or TimeoutException ? "request timed out" : $"{exception.GetType().Name}: {exception.Message}";
}
