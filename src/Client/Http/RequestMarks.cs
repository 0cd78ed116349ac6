namespace CompassCi.Client.Http;

/// <summary>
/// What the client tells the resilience pipeline about one request, in <see cref="HttpRequestMessage.Options"/>: whether
/// it is safe to send again, until when it may be retried, and how long its attempts may take.
/// </summary>
internal static class RequestMarks
{
    /// <summary>Set on reads, submits with a <c>submit_id</c> and consumes with a <c>request_id</c>; anything else is never retried.</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("CompassCi.Idempotent");

    /// <summary>When the call's time budget ends (UTC): no retry waits past it.</summary>
    public static readonly HttpRequestOptionsKey<DateTimeOffset> Deadline = new("CompassCi.Deadline");

    /// <summary>Extra time an attempt may take on top of the attempt timeout (a consume that long-polls).</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> ExtraAttemptTime = new("CompassCi.ExtraAttemptTime");

    /// <summary>Set on a watch: its body is a stream read as it comes, never buffered.</summary>
    public static readonly HttpRequestOptionsKey<bool> Streamed = new("CompassCi.Streamed");

    public static bool IsStreamed(HttpRequestMessage request) =>
        request.Options.TryGetValue(Streamed, out var streamed) && streamed;

    public static bool IsIdempotent(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Idempotent, out var idempotent) && idempotent;

    public static DateTimeOffset? DeadlineOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Deadline, out var deadline) ? deadline : null;

    public static TimeSpan ExtraTimeOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(ExtraAttemptTime, out var extra) ? extra : TimeSpan.Zero;
}
