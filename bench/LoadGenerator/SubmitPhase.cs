using System.Diagnostics;
using System.Net;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Phase 1: S loops share one job counter and POST jobs until N have been tried. Submits are not retried: the
/// contract has no idempotency key for them, so a retry after a lost reply could create a second job. A lost
/// reply shows up later instead, as an "unexpected" id in the drain. Each loop has its own thread and keep-alive connection.
/// </summary>
public sealed class SubmitPhase
{
    /// <summary>A loop that fails this many submits in a row stops, rather than spinning until the deadline.</summary>
    private const int MaxConsecutiveFailures = 50;

    private readonly Uri _baseUrl;
    private readonly PostRequestHead _jobsRequest;
    private readonly JobDocumentWriter _documents;
    private readonly int _jobs;
    private readonly int[] _acceptedPerShape;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingJob> _accepted = new();
    private int _nextJob = -1;

    public SubmitPhase(Uri baseUrl, JobDocumentWriter documents, int jobs, int shapes)
    {
        _baseUrl = baseUrl;
        _jobsRequest = new PostRequestHead(new Uri(baseUrl, "api/v1/jobs"));
        _documents = documents;
        _jobs = jobs;
        _acceptedPerShape = new int[shapes];
    }

    /// <summary>Jobs the server acknowledged per shape: what the drain must find in each queue.</summary>
    public IReadOnlyList<int> AcceptedPerShape => _acceptedPerShape;

    /// <summary>Every acknowledged job with its shape, for the restart item's pending file.</summary>
    public IReadOnlyCollection<PendingJob> AcceptedJobs => _accepted;

    public async Task<PhaseResult> RunAsync(int submitters, CancellationToken deadline)
    {
        var clock = Stopwatch.StartNew();
        var tallies = await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => LoopThreads.Start(() => Loop(deadline))));
        return new PhaseResult("submit", clock.Elapsed.TotalSeconds, tallies);
    }

    private WorkerTally Loop(CancellationToken deadline)
    {
        using var connection = new KeepAliveConnection(_baseUrl);
        var tally = new WorkerTally();
        var failuresInARow = 0;
        while (true)
        {
            if (deadline.IsCancellationRequested)
            {
                tally.TimedOut = true;
                break;
            }

            var job = Interlocked.Increment(ref _nextJob);
            if (job >= _jobs)
            {
                break;
            }

            if (SubmitOne(connection, job, tally, deadline))
            {
                failuresInARow = 0;
            }
            else if (deadline.IsCancellationRequested)
            {
                tally.TimedOut = true;
                break;
            }
            else if (++failuresInARow >= MaxConsecutiveFailures)
            {
                tally.GaveUp = true;
                break;
            }
        }

        return tally;
    }

    /// <summary>POSTs job <paramref name="job"/>; true when the server answered 201 with an id.</summary>
    private bool SubmitOne(KeepAliveConnection connection, int job, WorkerTally tally, CancellationToken deadline)
    {
        var body = _documents.Write(job);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = connection.Post(_jobsRequest, body, deadline);
            var elapsed = Stopwatch.GetTimestamp() - started;
            if (response.Status != HttpStatusCode.Created)
            {
                tally.RecordError($"submit: {RequestFailure.Describe(response.Status)}");
                return false;
            }

            if (JobIdReader.Read(response.Body.Span) is not { } id)
            {
                tally.RecordError("submit: 201 without a readable \"id\"");
                return false;
            }

            tally.Latencies.Add(elapsed);
            tally.Ids.Add(id);
            Interlocked.Increment(ref _acceptedPerShape[_documents.ShapeOf(job).Index]);
            _accepted.Enqueue(new PendingJob(_documents.ShapeOf(job).Index, id));
            return true;
        }
        catch (Exception e) when (RequestFailure.IsTransport(e, deadline))
        {
            tally.RecordError($"submit: {RequestFailure.Describe(e)}");
            return false;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
    }
}
