using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// One testbox of the long-poll and restart items: consumes with a given wait_seconds over and over, and does not
/// run what it gets — a job's arrival time is recorded and the testbox asks again at once. A 5xx or a transport
/// error (a silo not listening yet) is retried with the same request_id after a short pause, so a job leased on a lost reply
/// comes back on the retry. The testbox keeps one keep-alive connection; a failed or aborted attempt drops it.
/// </summary>
public sealed class LongPollTestbox
{
    private readonly Uri _baseUrl;
    private readonly PostRequestHead _consumeRequest;
    private readonly ConsumeTags _tags;
    private readonly int _waitSeconds;
    private readonly string _requestPrefix;
    private long _sequence;

    public LongPollTestbox(Uri baseUrl, TagShape shape, string testbox, int waitSeconds, string requestPrefix)
    {
        _baseUrl = baseUrl;
        _consumeRequest = new PostRequestHead(new Uri(baseUrl, $"api/v1/testboxes/{Uri.EscapeDataString(testbox)}/consume"));
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
    /// <remarks>Blocks until done: run it on a thread of its own (<see cref="LoopThreads"/>).</remarks>
    public void Run(Func<bool> keepGoing, Action sent, Action<long> answered, Action<string, long> jobArrived, CancellationToken abort)
    {
        // The server may hold the request wait_seconds by design: the per-attempt timeout counts from the end of that wait.
        using var connection = new KeepAliveConnection(_baseUrl, LoopbackHttpClient.RequestTimeout + TimeSpan.FromSeconds(_waitSeconds));
        try
        {
            while (keepGoing())
            {
                var requestId = $"{_requestPrefix}-{_sequence++.ToString(CultureInfo.InvariantCulture)}";
                var body = JsonSerializer.SerializeToUtf8Bytes(new ConsumeRequest(_tags, TestboxConsumer.MemoryGb, _waitSeconds, requestId), WireJson.Default.ConsumeRequest);
                while (true)
                {
                    sent();
                    if (Attempt(connection, body, answered, jobArrived, abort))
                    {
                        break;
                    }

                    // Not answered (yet): the silo is starting, restarting or overloaded; same request_id again shortly.
                    LoopThreads.Pause(TimeSpan.FromMilliseconds(20), abort);
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // The item is over (or the deadline passed); the caller knows which.
        }
    }

    /// <returns>True when the request_id got its final answer (a job, a 204, or a 4xx that a retry would not change).</returns>
    private bool Attempt(KeepAliveConnection connection, byte[] body, Action<long> answered, Action<string, long> jobArrived, CancellationToken abort)
    {
        try
        {
            var response = connection.Post(_consumeRequest, body, abort);
            var at = Stopwatch.GetTimestamp();
            answered(at);
            switch (response.Status)
            {
                case HttpStatusCode.OK when JobIdReader.Read(response.Body.Span) is { } id:
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
