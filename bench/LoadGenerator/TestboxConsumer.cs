using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// One simulated testbox: asks for a job with wait_seconds 0, over and over, while its shape still has jobs.
/// A 5xx or a connection error is retried with the same request_id, which the server treats idempotently, so a
/// job handed out on a lost reply is handed out again on the retry rather than stranded.
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

    private readonly HttpClient _client;
    private readonly Uri _consumeUrl;
    private readonly ConsumeTags _tags;
    private readonly string _requestPrefix;
    private long _sequence;

    public TestboxConsumer(HttpClient client, Uri baseUrl, TagShape shape, string testbox, string requestPrefix)
    {
        _client = client;
        _consumeUrl = new Uri(baseUrl, $"api/v1/testboxes/{Uri.EscapeDataString(testbox)}/consume");
        _tags = new ConsumeTags(shape.TboxGroup, shape.Arch);
        _requestPrefix = requestPrefix;
    }

    /// <param name="jobsExpected">True while the shape's shared count says jobs remain.</param>
    /// <param name="jobTaken">Called once per job handed to this testbox.</param>
    /// <param name="deadline">The run's hard deadline.</param>
    public async Task<WorkerTally> RunAsync(Func<bool> jobsExpected, Action jobTaken, CancellationToken deadline)
    {
        var tally = new WorkerTally();
        var emptyInARow = 0;
        var failuresInARow = 0;
        try
        {
            while (jobsExpected())
            {
                deadline.ThrowIfCancellationRequested();
                switch (await ConsumeOneAsync(tally, deadline))
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
                        await Task.Delay(TimeSpan.FromMilliseconds(1 << Math.Min(emptyInARow - 1, 6)), deadline);
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
    private async Task<Answer> ConsumeOneAsync(WorkerTally tally, CancellationToken deadline)
    {
        var requestId = $"{_requestPrefix}-{_sequence++.ToString(CultureInfo.InvariantCulture)}";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ConsumeRequest(_tags, MemoryGb, 0, requestId), WireJson.Default.ConsumeRequest);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                // 10, 20, 40 … 320 ms: enough for a restarting listener, still well inside the deadline.
                await Task.Delay(TimeSpan.FromMilliseconds(10 << Math.Min(attempt - 2, 5)), deadline);
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _consumeUrl) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline);
                var reply = await response.Content.ReadAsByteArrayAsync(deadline);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        if (JobIdReader.Read(reply) is not { } id)
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
