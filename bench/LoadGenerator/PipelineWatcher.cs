using System.Diagnostics;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Sees when each finished job's results pipeline ends, from the outside: it lists
/// <c>GET /api/v1/pipeline?state=pending</c> (every page) over and over while the jobs are being finished. A job
/// counts as ended at the end of the first listing that started after its finish was answered and does not name it
/// (finish records the pipeline's work in the same write as the end, so from its 200 on the job is listed until its
/// pipeline ends). Times are therefore upper bounds, late by at most one listing plus the pause between listings.
/// </summary>
public sealed class PipelineWatcher
{
    private const int MaxConsecutiveFailures = 50;

    private readonly ResultsApi _api;
    private readonly IReadOnlyList<string> _ids;
    private readonly long[] _finishedAt;
    private readonly long[] _endedAt;

    public PipelineWatcher(ResultsApi api, IReadOnlyList<string> ids)
    {
        _api = api;
        _ids = ids;
        _finishedAt = new long[ids.Count];
        _endedAt = new long[ids.Count];
    }

    /// <summary>The pause between two listings.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Called by the finish loops: job <paramref name="job"/>'s finish was answered 200 at Stopwatch time <paramref name="at"/>.</summary>
    public void Finished(int job, long at) => Volatile.Write(ref _finishedAt[job], at);

    /// <summary>Lists until every finished job's pipeline ended and <paramref name="finishing"/> is over, or the deadline.</summary>
    public async Task<PipelineWatch> RunAsync(Task finishing, CancellationToken deadline)
    {
        var tally = new WorkerTally();
        var failuresInARow = 0;
        while (true)
        {
            if (deadline.IsCancellationRequested)
            {
                tally.TimedOut = true;
                break;
            }

            // Read before listing: when finishing was over by then, every finish's time is already written.
            var allFinished = finishing.IsCompleted;
            var started = Stopwatch.GetTimestamp();
            HashSet<string>? pending;
            try
            {
                pending = await _api.ListPipelineAsync("pending", tally, deadline);
            }
            catch (Exception e) when (RequestFailure.IsTransport(e, deadline) || ResultsApi.IsUnreadable(e))
            {
                tally.RecordError($"pipeline list: {RequestFailure.Describe(e)}");
                pending = null;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                tally.TimedOut = true;
                break;
            }

            if (pending is null)
            {
                if (++failuresInARow >= MaxConsecutiveFailures)
                {
                    tally.GaveUp = true;
                    break;
                }
            }
            else
            {
                failuresInARow = 0;
                var listed = Stopwatch.GetTimestamp();
                tally.Latencies.Add(listed - started);
                if (Settle(pending, started, listed, allFinished) == 0 && allFinished)
                {
                    break;
                }
            }

            try
            {
                await Task.Delay(PollInterval, deadline);
            }
            catch (OperationCanceledException)
            {
                tally.TimedOut = true;
                break;
            }
        }

        return Result(tally);
    }

    /// <summary>Marks the jobs this listing shows ended; answers how many are still awaited.</summary>
    private int Settle(HashSet<string> pending, long listingStarted, long listed, bool allFinished)
    {
        var open = 0;
        for (var job = 0; job < _ids.Count; job++)
        {
            if (_endedAt[job] != 0)
            {
                continue;
            }

            var finished = Volatile.Read(ref _finishedAt[job]);
            if (finished == 0)
            {
                // Not finished (yet). Once finishing is over it never will be, and is not waited for.
                open += allFinished ? 0 : 1;
            }
            else if (finished < listingStarted && !pending.Contains(_ids[job]))
            {
                _endedAt[job] = listed;
            }
            else
            {
                open++;
            }
        }

        return open;
    }

    private PipelineWatch Result(WorkerTally listings)
    {
        var latencies = new List<long>();
        long firstFinish = long.MaxValue, lastEnd = long.MinValue;
        var finished = 0;
        for (var job = 0; job < _ids.Count; job++)
        {
            if (_finishedAt[job] != 0)
            {
                finished++;
                firstFinish = Math.Min(firstFinish, _finishedAt[job]);
            }

            if (_endedAt[job] != 0)
            {
                latencies.Add(_endedAt[job] - _finishedAt[job]);
                lastEnd = Math.Max(lastEnd, _endedAt[job]);
            }
        }

        var seconds = latencies.Count > 0 ? (lastEnd - firstFinish) / (double)Stopwatch.Frequency : 0;
        var ended = new HashSet<string>(Enumerable.Range(0, _ids.Count).Where(j => _endedAt[j] != 0).Select(j => _ids[j]), StringComparer.Ordinal);
        return new PipelineWatch(finished, ended, seconds, latencies, listings);
    }
}
