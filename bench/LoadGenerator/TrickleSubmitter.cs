using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The long-poll item's steady trickle: one loop submits job i at start + i / rate (a schedule, so a slow submit
/// does not lower the rate for good), round-robin over the shapes, and notes when each 201 arrived.
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

    public WorkerTally Tally { get; } = new();

    public async Task<double> RunAsync(int jobs, int perSecond, CancellationToken deadline)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < jobs && !deadline.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, deadline);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _jobsUrl) { Content = new ByteArrayContent(_documents.Write(i)) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline);
                var reply = await response.Content.ReadAsByteArrayAsync(deadline);
                var at = Stopwatch.GetTimestamp();
                if (response.StatusCode == HttpStatusCode.Created && JobIdReader.Read(reply) is { } id)
                {
                    AcknowledgedAt[id] = at;
                    Tally.Ids.Add(id);
                    Tally.Latencies.Add(at - started);
                }
                else
                {
                    Tally.RecordError($"submit: {RequestFailure.Describe(response.StatusCode)}");
                }
            }
            catch (Exception e) when (RequestFailure.IsTransport(e, deadline))
            {
                Tally.RecordError($"submit: {RequestFailure.Describe(e)}");
            }
        }

        return clock.Elapsed.TotalSeconds;
    }
}
