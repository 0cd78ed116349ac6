using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CompassCi.Client.Cluster;

/// <summary>
/// The Polly pipeline of calls safe to repeat: a total time budget around a retry of
/// <see cref="TransientClusterFailures"/> with jittered exponential backoff. Calls not safe to repeat do not go
/// through it: they are tried once and their failure is the caller's to judge.
/// </summary>
public static class ClusterResilience
{
    /// <summary>The retrying pipeline <paramref name="options"/> describe.</summary>
    public static ResiliencePipeline Retrying(ClusterResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResiliencePipelineBuilder()
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.TotalBudget })
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(TransientClusterFailures.IsTransient(args.Outcome.Exception)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                MaxRetryAttempts = options.MaxRetries,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } failure)
                    {
                        options.OnRetry?.Invoke(failure);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
