using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// One simulated testbox: asks for a job with wait_seconds 0, over and over, while its shape still has jobs.
/// A 5xx or a connection error is retried with the same request_id, which the server treats idempotently, so a
/// job handed out on a lost reply is handed out again on the retry rather than stranded. The testbox keeps one
/// keep-alive connection; a failed attempt drops it and the retry opens a new one.
/// </summary>
public sealed class TestboxConsumer
{
    /// <summary>Offered memory: above every job's 4G, so memory never stops a match.</summary>
    public const int MemoryGb = 16;

    /// <summary>204s in a row, while jobs are still expected, before the testbox concludes they will not come.</summary>
    public const int MaxConsecutiveEmpty = 20;

    /// <summary>Attempts for one request_id before it is abandoned.</summary>
    public const int MaxAttempts = 8;

    /// <summary>Requests in a row that ended in failure before the testbox stops.</summary>
    private const int MaxConsecutiveFailures = 50;

    private readonly Uri _baseUrl;
    private readonly PostRequestHead _consumeRequest;
    private readonly ConsumeTags _tags;
    private readonly string _requestPrefix;
    private long _sequence;

    public TestboxConsumer(Uri baseUrl, TagShape shape, string testbox, string requestPrefix)
    {
        _baseUrl = baseUrl;
        _consumeRequest = new PostRequestHead(new Uri(baseUrl, $"api/v1/testboxes/{Uri.EscapeDataString(testbox)}/consume"));
        _tags = new ConsumeTags(shape.TboxGroup, shape.Arch);
        _requestPrefix = requestPrefix;
    }

    /// <param name="jobsExpected">True while the shape's shared count says jobs remain.</param>
    /// <param name="jobTaken">Called once per job handed to this testbox.</param>
    /// <param name="deadline">The run's hard deadline.</param>
    /// <remarks>Blocks until done: run it on a thread of its own (<see cref="LoopThreads"/>).</remarks>
    public WorkerTally Run(Func<bool> jobsExpected, Action jobTaken, CancellationToken deadline)
    {
        using var connection = new KeepAliveConnection(_baseUrl);
        var tally = new WorkerTally();
        var emptyInARow = 0;
        var failuresInARow = 0;
        try
        {
            while (jobsExpected())
            {
                deadline.ThrowIfCancellationRequested();
                switch (ConsumeOne(connection, tally, deadline))
                {
                    case Answer.Job:
                        jobTaken();
                        emptyInARow = 0;
                        failuresInARow = 0;
                        break;
                    case Answer.Empty:
                        failuresInARow = 0;
                        if (++emptyInARow >= MaxConsecutiveEmpty)
                        {
                            return tally;
                        }

                        // Usually a sibling testbox holds the last jobs in flight; back off briefly (1, 2, 4 … 64 ms)
                        // instead of hammering the server while they finish.
                        LoopThreads.Pause(TimeSpan.FromMilliseconds(1 << Math.Min(emptyInARow - 1, 6)), deadline);
                        break;
                    default:
                        if (++failuresInARow >= MaxConsecutiveFailures)
                        {
                            tally.GaveUp = true;
                            return tally;
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            tally.TimedOut = true;
        }

        return tally;
    }

    private enum Answer
    {
        Job,
        Empty,
        Failed,
    }

    /// <summary>One logical consume (one request_id), with retries; latency runs from the first attempt to the answer.</summary>
    private Answer ConsumeOne(KeepAliveConnection connection, WorkerTally tally, CancellationToken deadline)
    {
        var requestId = $"{_requestPrefix}-{_sequence++.ToString(CultureInfo.InvariantCulture)}";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ConsumeRequest(_tags, MemoryGb, 0, requestId), WireJson.Default.ConsumeRequest);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                // 10, 20, 40 … 320 ms: enough for a restarting listener, still well inside the deadline.
                LoopThreads.Pause(TimeSpan.FromMilliseconds(10 << Math.Min(attempt - 2, 5)), deadline);
            }

            try
            {
                var response = connection.Post(_consumeRequest, body, deadline);
                switch (response.Status)
                {
                    case HttpStatusCode.OK:
                        if (JobIdReader.Read(response.Body.Span) is not { } id)
                        {
                            // A job may now be leased to this request_id without us knowing which; it will show as missing.
                            tally.RecordError("consume: 200 without a readable \"id\"");
                            return Answer.Failed;
                        }

                        tally.Latencies.Add(Stopwatch.GetTimestamp() - started);
                        tally.Ids.Add(id);
                        return Answer.Job;
                    case HttpStatusCode.NoContent:
                        tally.Empty++;
                        return Answer.Empty;
                    case var status when RequestFailure.IsRetryable(status):
                        tally.RecordError($"consume: {RequestFailure.Describe(status)}");
                        continue;
                    case var status:
                        // 4xx and other surprises: repeating the same request would get the same answer.
                        tally.RecordError($"consume: {RequestFailure.Describe(status)}");
                        return Answer.Failed;
                }
            }
            catch (Exception e) when (RequestFailure.IsTransport(e, deadline))
            {
                tally.RecordError($"consume: {RequestFailure.Describe(e)}");
            }
        }

        tally.Abandoned++;
        return Answer.Failed;
    }
}
