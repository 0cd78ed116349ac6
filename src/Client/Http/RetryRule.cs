using System.Net.Http.Headers;
using Polly.Timeout;

namespace CompassCi.Client.Http;

/// <summary>
/// The one rule of when the HTTP client tries a request again and how long it waits first, with nothing of Polly's
/// or HttpClient's state in it, so it can be tested on its own. <see cref="HttpResilience"/> applies it.
/// </summary>
public static class RetryRule
{
    /// <summary>
    /// Worth trying again: the server or the way to it failed for now (500 from a dying server, 502, 503, 504, 408),
    /// it asked to come back later (429), the connection failed or was cut, or the attempt ran out of time. Only ever
    /// for a request that is safe to repeat (<paramref name="idempotent"/>); a status that is the caller's mistake never.
    /// </summary>
    public static bool IsTransient(bool idempotent, int? status, Exception? error)
    {
        if (!idempotent)
        {
            return false;
        }

        if (status is { } code)
        {
            return code is 408 or 429 or 500 or 502 or 503 or 504;
        }

        return error is HttpRequestException or TimeoutRejectedException or IOException;
    }

    /// <summary>
    /// How long to wait before attempt <paramref name="attempt"/> + 1 (0: the first retry): what the server's
    /// <c>Retry-After</c> names (seconds, or a date), else <paramref name="baseDelay"/> doubled per attempt up to
    /// <paramref name="maxDelay"/>, jittered by <paramref name="jitter"/> (0–1) into the upper half of that, so that many
    /// clients cut off together do not come back together.
    /// </summary>
    public static TimeSpan Delay(int attempt, RetryConditionHeaderValue? retryAfter, DateTimeOffset now, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        var exponent = Math.Min(Math.Max(attempt, 0), 30);
        var ceiling = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1))));
    }

    /// <summary>A retry after <paramref name="delay"/> still starts within the budget that ends at <paramref name="deadline"/>.</summary>
    public static bool FitsBudget(TimeSpan delay, DateTimeOffset now, DateTimeOffset? deadline) =>
        deadline is not { } end || now + delay < end;
}
