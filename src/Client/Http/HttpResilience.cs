using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CompassCi.Client.Http;

/// <summary>
/// The HTTP client's resilience pipeline (Polly, as Microsoft.Extensions.Http.Resilience runs it): a total budget
/// around retries around a per-attempt timeout. The retry applies <see cref="RetryRule"/> to requests the client marked
/// idempotent (<see cref="RequestMarks"/>): waits what <c>Retry-After</c> says, else a jittered exponential backoff, and
/// never waits past the call's budget — then the last answer is the call's.
/// </summary>
public static class HttpResilience
{
    private static readonly ResiliencePropertyKey<TimeSpan> NextDelay = new("CompassCi.NextDelay");

    /// <summary>Adds the client's strategies to <paramref name="builder"/> (the one <c>AddResilienceHandler</c> hands over, or a fresh one).</summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, CompassCiHttpOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var clock = time ?? TimeProvider.System;
        return builder
            .AddTimeout(new TimeoutStrategyOptions
            {
                Name = "CompassCi.TotalBudget",
                TimeoutGenerator = args => ValueTask.FromResult(options.TotalBudget + RequestMarks.ExtraTimeOf(args.Context.GetRequestMessage())),
            })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "CompassCi.Retry",
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args, options, clock)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(NextDelay, TimeSpan.Zero)),
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                Name = "CompassCi.AttemptTimeout",
                TimeoutGenerator = args => ValueTask.FromResult(options.AttemptTimeout + RequestMarks.ExtraTimeOf(args.Context.GetRequestMessage())),
            });
    }

    /// <summary>Decides the retry and, when it is one, the wait before it (the delay generator hands that on).</summary>
    private static bool ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args, CompassCiHttpOptions options, TimeProvider clock)
    {
        var request = args.Context.GetRequestMessage();
        var status = args.Outcome.Result is { } response ? (int)response.StatusCode : (int?)null;
        if (!RetryRule.IsTransient(RequestMarks.IsIdempotent(request), status, args.Outcome.Exception))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var delay = RetryRule.Delay(args.AttemptNumber, args.Outcome.Result?.Headers.RetryAfter, now, options.BaseDelay, options.MaxDelay, Random.Shared.NextDouble());
        if (!RetryRule.FitsBudget(delay, now, RequestMarks.DeadlineOf(request)))
        {
            return false;
        }

        args.Context.Properties.Set(NextDelay, delay);
        return true;
    }
}
