using System.Diagnostics;

namespace CompassCi.LoadGenerator;

/// <summary>
/// W loops that share one index into a list of work items, each item one request (or a few), for the extraction
/// phase's steps. A loop records into its own <see cref="WorkerTally"/> and stops when the list is used up, at the
/// deadline, or after 50 failed items in a row.
/// </summary>
public static class WorkerPool
{
    private const int MaxConsecutiveFailures = 50;

    /// <param name="work">Does one item; true when it succeeded (it records its own ids, latencies and errors).</param>
    public static async Task<PhaseResult> RunAsync<T>(
        string name, IReadOnlyList<T> items, int workers, Func<T, WorkerTally, CancellationToken, Task<bool>> work, CancellationToken deadline)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, Math.Max(1, Math.Min(workers, items.Count))).Select(_ => Task.Run(
            async () =>
            {
                var tally = new WorkerTally();
                var failuresInARow = 0;
                while (true)
                {
                    var index = Interlocked.Increment(ref next);
                    if (index >= items.Count)
                    {
                        break;
                    }

                    if (deadline.IsCancellationRequested)
                    {
                        tally.TimedOut = true;
                        break;
                    }

                    bool done;
                    try
                    {
                        done = await work(items[index], tally, deadline);
                    }
                    catch (Exception e) when (RequestFailure.IsTransport(e, deadline))
                    {
                        tally.RecordError($"{name}: {RequestFailure.Describe(e)}");
                        done = false;
                    }
                    catch (Exception e) when (ResultsApi.IsUnreadable(e))
                    {
                        tally.RecordError($"{name}: unreadable answer: {e.Message}");
                        done = false;
                    }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                    {
                        tally.TimedOut = true;
                        break;
                    }

                    failuresInARow = done ? 0 : failuresInARow + 1;
                    if (failuresInARow >= MaxConsecutiveFailures)
                    {
                        tally.GaveUp = true;
                        break;
                    }
                }

                return tally;
            },
            CancellationToken.None));

        var tallies = await Task.WhenAll(loops);
        return new PhaseResult(name, clock.Elapsed.TotalSeconds, tallies);
    }
}
