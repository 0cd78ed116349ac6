using CompassCi.Grains.Clusters;
using Microsoft.Extensions.Logging;

namespace CompassCi.Api.Clusters;

/// <summary>
/// Calls to a cluster's barrier that must outlive one grain call: a wait held for minutes is a series of calls of at
/// most <see cref="Round"/> each (under the Orleans response timeout), and a call that fails because the barrier's
/// silo died is made again, which re-activates the barrier from the table on a live silo.
/// </summary>
internal static class ClusterCalls
{
    /// <summary>The longest one grain call waits.</summary>
    public static readonly TimeSpan Round = TimeSpan.FromSeconds(20);

    /// <summary>How long a one-shot call keeps trying while its barrier moves to a live silo (failure detection takes seconds).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(250);

    /// <summary>Marks the node at <paramref name="target"/> and waits up to <paramref name="hold"/> for the barrier; <c>retry</c> when it is not reached by then.</summary>
    public static async Task<ClusterReply> ReachAsync(IClusterBarrierGrain barrier, string jobId, BarrierTarget target, TimeSpan hold, ILogger logger, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + hold;
        while (true)
        {
            var remaining = until - DateTimeOffset.UtcNow;
            var round = remaining < Round ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) : Round;
            var reply = await RetryingAsync(() => barrier.Reach(jobId, (int)target, round).WaitAsync(cancellationToken), until, logger, cancellationToken);
            if (reply is null || reply.UnknownJob || reply.Word != ClusterSyncWords.Retry || DateTimeOffset.UtcNow >= until)
            {
                return reply ?? new ClusterReply(ClusterSyncWords.Retry, false, null);
            }
        }
    }

    /// <summary>Runs <paramref name="call"/>, again after a short pause when the barrier's silo is gone, until <paramref name="until"/>; null if it never answered.</summary>
    public static async Task<T?> RetryingAsync<T>(Func<Task<T>> call, DateTimeOffset until, ILogger logger, CancellationToken cancellationToken)
        where T : class?
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call();
            }
            catch (Exception error) when (error is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or OrleansException
                                          && DateTimeOffset.UtcNow + Backoff < until)
            {
                logger.LogInformation("Cluster barrier call failed ({Error}); calling again", error.GetType().Name);
                await Task.Delay(Backoff, cancellationToken);
            }
        }
    }
}
