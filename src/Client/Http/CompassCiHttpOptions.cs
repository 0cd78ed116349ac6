namespace CompassCi.Client.Http;

/// <summary>Where the scheduler's REST API is, who calls it, and how long to keep trying.</summary>
public sealed class CompassCiHttpOptions
{
    /// <summary>The scheduler's address, such as <c>http://127.0.0.1:3000</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The caller's token (an account's <c>my_token</c>, a lab or operator token), sent as <c>Authorization: Bearer</c>; null in open mode.</summary>
    public string? Token { get; set; }

    /// <summary>How long one attempt may take before it counts as failed (and, when safe, is tried again). Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one call may take, retries and their waits included; a retry that would wait past it is not made and the
    /// last answer (or failure) is the call's. A watch gets this much for each reconnection. Default 2 minutes.
    /// </summary>
    public TimeSpan TotalBudget { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The first backoff delay when the server names none (<c>Retry-After</c>); it doubles per attempt, jittered. Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff delay when the server names none. Default 10 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A watch with nothing at all from the server (no event, no keep-alive) for this long reconnects. Default 45 s (the server writes every 15 s at most).</summary>
    public TimeSpan WatchIdleTimeout { get; set; } = TimeSpan.FromSeconds(45);

    internal Uri RequireBaseAddress() =>
        BaseAddress ?? throw new InvalidOperationException("CompassCiHttpOptions.BaseAddress is not set: give the scheduler's address, such as http://127.0.0.1:3000");
}
