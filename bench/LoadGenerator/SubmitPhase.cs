using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Phase 1: S loops share one job counter and POST jobs until N have been tried. Submits are not retried: the
/// contract has no idempotency key for them, so a retry after a lost reply could create a second job. A lost
/// reply shows up later instead, as an "unexpected" id in the drain.
/// </summary>
public sealed class SubmitPhase
{
    /// <summary>A loop that fails this many submits in a row stops, rather than spinning until the deadline.</summary>
    private const int MaxConsecutiveFailures = 50;

    private readonly HttpClient _client;
    private readonly Uri _jobsUrl;
    private readonly JobDocumentWriter _documents;
    private readonly int _jobs;
    private readonly int[] _acceptedPerShape;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingJob> _accepted = new();
    private int _nextJob = -1;

    public SubmitPhase(HttpClient client, Uri baseUrl, JobDocumentWriter documents, int jobs, int shapes)
    {
        _client = client;
        _jobsUrl = new Uri(baseUrl, "api/v1/jobs");
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
        var tallies = await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => Task.Run(() => LoopAsync(deadline), CancellationToken.None)));
        return new PhaseResult("submit", clock.Elapsed.TotalSeconds, tallies);
    }

    private async Task<WorkerTally> LoopAsync(CancellationToken deadline)
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

            var job = Interlocked.Increment(ref _nextJob);
            if (job >= _jobs)
            {
                break;
            }

            if (await SubmitOneAsync(job, tally, deadline))
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
    private async Task<bool> SubmitOneAsync(int job, WorkerTally tally, CancellationToken deadline)
    {
        var body = _documents.Write(job);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _jobsUrl) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline);
            var reply = await response.Content.ReadAsByteArrayAsync(deadline);
            var elapsed = Stopwatch.GetTimestamp() - started;
            if (response.StatusCode != HttpStatusCode.Created)
            {
                tally.RecordError($"submit: {RequestFailure.Describe(response.StatusCode)}");
                return false;
            }

            if (JobIdReader.Read(reply) is not { } id)
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
