using CompassCi.Contracts.Watch;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Watch;

/// <summary>
/// The live job watches for Orleans clients: the same events and positions as the REST API's server-sent events, one
/// long poll per call (<see cref="JobWatch"/>). A stateless worker: any silo answers, and a client that lost one asks
/// again from its last position.
/// </summary>
[StatelessWorker]
public sealed class JobWatchGrain(JobWatch watch, IOptions<WatchOptions> options) : Grain, IJobWatchGrain
{
    public Task<JobEvents> Job(string id, string? after, TimeSpan maxWait)
    {
        if (!JobPosition.TryParse(after, out var position))
        {
            throw new ArgumentException($"after: '{after}' is not a position of a one-job watch (the id of an event, a whole number)", nameof(after));
        }

        return long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var jobId) && jobId > 0
            ? watch.NextAsync(jobId, position, Bounded(maxWait), CancellationToken.None)
            : Task.FromResult(new JobEvents([], after, NotFound: true));
    }

    public Task<JobEvents> Jobs(WatchFilter filter, string? after, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(filter);
        WatchPosition? position = null;
        if (!string.IsNullOrEmpty(after))
        {
            if (!WatchPosition.TryParse(after, out var parsed))
            {
                throw new ArgumentException($"after: '{after}' is not a position of a many-job watch (the id of an event it sent)", nameof(after));
            }

            position = parsed;
        }

        return watch.NextAsync(filter, position, Bounded(maxWait), CancellationToken.None);
    }

    /// <summary>No longer than a round, so the answer comes well within the client's response timeout.</summary>
    private TimeSpan Bounded(TimeSpan maxWait) =>
        maxWait < TimeSpan.Zero ? TimeSpan.Zero : maxWait > options.Value.Round ? options.Value.Round : maxWait;
}
