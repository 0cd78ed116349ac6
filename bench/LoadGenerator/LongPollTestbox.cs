using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// One testbox of the long-poll and restart items: consumes with a given wait_seconds over and over, and does not
/// run what it gets — a job's arrival time is recorded and the testbox asks again at once. A 5xx or a transport
/// error (a silo not listening yet) is retried with the same request_id after a short pause, so a job leased on a lost reply
/// comes back on the retry.
/// </summary>
public sealed class LongPollTestbox
{
    private readonly HttpClient _client;
    private readonly Uri _consumeUrl;
    private readonly ConsumeTags _tags;
    private readonly int _waitSeconds;
    private readonly string _requestPrefix;
    private long _sequence;

    public LongPollTestbox(HttpClient client, Uri baseUrl, TagShape shape, string testbox, int waitSeconds, string requestPrefix)
    {
        _client = client;
        _consumeUrl = new Uri(baseUrl, $"api/v1/testboxes/{Uri.EscapeDataString(testbox)}/consume");
        _tags = new ConsumeTags(shape.TboxGroup, shape.Arch);
        _waitSeconds = waitSeconds;
        _requestPrefix = requestPrefix;
    }

    /// <summary>Jobs this testbox got, with the Stopwatch timestamp their answer arrived.</summary>
    public List<(string Id, long At)> Arrivals { get; } = [];

    /// <summary>Failed attempts and a few of their descriptions.</summary>
    public WorkerTally Tally { get; } = new();

    /// <param name="keepGoing">Asked before each new request_id; false ends the loop (an in-flight request still completes).</param>
    /// <param name="sent">Called just before each request is sent, for the long-poll item's settle.</param>
    /// <param name="answered">Called with each HTTP answer's arrival time, whatever its status.</param>
    /// <param name="jobArrived">Called once per job handed to this testbox.</param>
    /// <param name="abort">Cancels a request in flight too (the end of the long-poll item, the deadline).</param>
    public async Task RunAsync(Func<bool> keepGoing, Action sent, Action<long> answered, Action<string, long> jobArrived, CancellationToken abort)
    {
        try
        {
            while (keepGoing())
            {
                var requestId = $"{_requestPrefix}-{_sequence++.ToString(CultureInfo.InvariantCulture)}";
                var body = JsonSerializer.SerializeToUtf8Bytes(new ConsumeRequest(_tags, TestboxConsumer.MemoryGb, _waitSeconds, requestId), WireJson.Default.ConsumeRequest);
                while (true)
                {
                    sent();
                    if (await AttemptAsync(body, answered, jobArrived, abort))
                    {
                        break;
                    }

                    // Not answered (yet): the silo is starting, restarting or overloaded; same request_id again shortly.
                    await Task.Delay(TimeSpan.FromMilliseconds(20), abort);
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // The item is over (or the deadline passed); the caller knows which.
        }
    }

    /// <returns>True when the request_id got its final answer (a job, a 204, or a 4xx that a retry would not change).</returns>
    private async Task<bool> AttemptAsync(byte[] body, Action<long> answered, Action<string, long> jobArrived, CancellationToken abort)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _consumeUrl) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, abort);
            var reply = await response.Content.ReadAsByteArrayAsync(abort);
            var at = Stopwatch.GetTimestamp();
            answered(at);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK when JobIdReader.Read(reply) is { } id:
                    Arrivals.Add((id, at));
                    jobArrived(id, at);
                    return true;
                case HttpStatusCode.OK:
                    Tally.RecordError("consume: 200 without a readable \"id\"");
                    return true;
                case HttpStatusCode.NoContent:
                    Tally.Empty++;
                    return true;
                case var status when RequestFailure.IsRetryable(status):
                    Tally.RecordError($"consume: {RequestFailure.Describe(status)}");
                    return false;
                case var status:
                    Tally.RecordError($"consume: {RequestFailure.Describe(status)}");
                    return true;
            }
        }
        catch (Exception e) when (RequestFailure.IsTransport(e, abort))
        {
            Tally.RecordError($"consume: {RequestFailure.Describe(e)}");
            return false;
        }
    }
}
