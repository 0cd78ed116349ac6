using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The long-poll item's steady trickle: job i is submitted at start + i / rate (a schedule; a slow answer does not
/// hold back the next submit), round-robin over the shapes, and the arrival of each 201 is noted.
/// </summary>
public sealed class TrickleSubmitter
{
    private readonly HttpClient _client;
    private readonly Uri _jobsUrl;
    private readonly JobDocumentWriter _documents;

    public TrickleSubmitter(HttpClient client, Uri baseUrl, JobDocumentWriter documents)
    {
        _client = client;
        _jobsUrl = new Uri(baseUrl, "api/v1/jobs");
        _documents = documents;
    }

    /// <summary>Stopwatch timestamp of each acknowledged job's 201, by id.</summary>
    public Dictionary<string, long> AcknowledgedAt { get; } = new(StringComparer.Ordinal);

    /// <summary>The acknowledged jobs among the first <c>warmup</c> submitted (in <see cref="AcknowledgedAt"/> too).</summary>
    public HashSet<string> WarmupIds { get; } = new(StringComparer.Ordinal);

    public WorkerTally Tally { get; } = new();

    /// <summary>Submits <paramref name="jobs"/> on the schedule; the first <paramref name="warmup"/> of them are noted in <see cref="WarmupIds"/>.</summary>
    public async Task<double> RunAsync(int jobs, int perSecond, CancellationToken deadline, int warmup = 0)
    {
        // Each submit starts at its due time whether or not the one before has answered: a slow answer must not
        // lower the rate (a single loop that awaits each submit manages only 1 / latency per second).
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task<(string? Id, long Started, long At, string? Error)>>(jobs);
        for (var i = 0; i < jobs && !deadline.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, deadline);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    break;
                }
            }

            inFlight.Add(SubmitAsync(i, deadline));
        }

        var answers = await Task.WhenAll(inFlight);
        for (var i = 0; i < answers.Length; i++)
        {
            var (id, started, at, error) = answers[i];
            if (id is not null)
            {
                AcknowledgedAt[id] = at;
                if (i < warmup)
                {
                    WarmupIds.Add(id);
                }

                Tally.Ids.Add(id);
                Tally.Latencies.Add(at - started);
            }
            else if (error is not null)
            {
                Tally.RecordError(error);
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>One POST; the 201's arrival time is taken as soon as its body is read.</summary>
    private async Task<(string? Id, long Started, long At, string? Error)> SubmitAsync(int job, CancellationToken deadline)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _jobsUrl) { Content = new ByteArrayContent(_documents.Write(job)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline);
            var reply = await response.Content.ReadAsByteArrayAsync(deadline);
            var at = Stopwatch.GetTimestamp();
            return response.StatusCode == HttpStatusCode.Created && JobIdReader.Read(reply) is { } id
                ? (id, started, at, null)
                : (null, started, at, $"submit: {RequestFailure.Describe(response.StatusCode)}");
        }
        catch (Exception e) when (RequestFailure.IsTransport(e, deadline))
        {
            return (null, started, 0, $"submit: {RequestFailure.Describe(e)}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (null, started, 0, "submit: the run's deadline passed");
        }
    }
}
