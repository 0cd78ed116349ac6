using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace CompassCi.Grains.Results.Pipeline;

/// <summary>
/// One ended job's results pipeline, woken by <see cref="ResultsTrigger"/> (an implicit subscription: the stream's key is
/// this grain's key, the job id). Thin: the work is <see cref="PipelineRunner"/>'s. Being one grain per job, its runs
/// never overlap, so a republished trigger waits for the run in progress and then finds nothing left to do.
/// </summary>
[ImplicitStreamSubscription(ResultsTrigger.Namespace)]
public sealed class ResultsGrain(PipelineRunner runner, ILogger<ResultsGrain> logger)
    : Grain, IResultsGrain, IStreamSubscriptionObserver, IAsyncObserver<ResultsRequest>
{
    /// <summary>The grain (and stream) key of job <paramref name="jobId"/>.</summary>
    public static string Key(long jobId) => jobId.ToString(CultureInfo.InvariantCulture);

    private long JobId => long.Parse(this.GetPrimaryKeyString(), NumberStyles.None, CultureInfo.InvariantCulture);

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        return handleFactory.Create<ResultsRequest>().ResumeAsync(this);
    }

    // Hand the run to this grain's own queue and return: a pipeline can take minutes (retries back off), and the stream's
    // delivery should not wait on it.
    public Task OnNextAsync(ResultsRequest item, StreamSequenceToken? token = null) => this.AsReference<IResultsGrain>().Run();

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Results stream of job {JobId} reported an error; the outbox re-drives the pipeline", JobId);
        return Task.CompletedTask;
    }

    public async Task Run()
    {
        try
        {
            await runner.RunAsync(JobId);
            // Ended (done or failed): nothing more will come for a while, so free the activation now rather than
            // after the idle age; a retry or a republished trigger activates it again.
            this.DeactivateOnIdle();
        }
        catch (Exception error)
        {
            // Left due in the outbox: the sweeper publishes it again, and the run resumes at its first step not done.
            logger.LogWarning(error, "Results pipeline of job {JobId} stopped; it resumes when its effect is delivered again", JobId);
        }
    }

    public async Task<bool> Retry()
    {
        if (!await runner.RetryAsync(JobId))
        {
            return false;
        }

        // Queued behind this call, not awaited: the caller learns that the retry is recorded, not how it ends.
        await this.AsReference<IResultsGrain>().Run();
        return true;
    }
}
