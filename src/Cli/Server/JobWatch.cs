using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Cli.Server;

/// <summary>
/// The SSE watch (<c>GET /api/v1/jobs/{id}/watch</c>, <c>GET /api/v1/watch?…</c>) as <see cref="JobEvent"/>s. When the
/// stream breaks (the silo stopped, the network dropped) it connects again with <c>Last-Event-ID</c> set to the last
/// event seen, so nothing is missed and nothing repeated; it gives up after a run of failed reconnects.
/// </summary>
internal static class JobWatch
{
    private const int MaxReconnects = 10;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    public static IAsyncEnumerable<JobEvent> OneJobAsync(ServerApi api, string id, CancellationToken cancellationToken) =>
        StreamAsync(api, $"api/v1/jobs/{Uri.EscapeDataString(id)}/watch", cancellationToken);

    public static IAsyncEnumerable<JobEvent> ManyAsync(ServerApi api, string query, CancellationToken cancellationToken) =>
        StreamAsync(api, "api/v1/watch" + query, cancellationToken);

    private static async IAsyncEnumerable<JobEvent> StreamAsync(ServerApi api, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        var failures = 0;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (last is not null)
            {
                request.Headers.Add("Last-Event-ID", last);
            }

            HttpResponseMessage? response = null;
            try
            {
                response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException) when (++failures <= MaxReconnects && last is not null)
            {
                // Only a watch that has started is resumed; a server that never answered is the caller's error.
            }

            if (response is null)
            {
                await Task.Delay(ReconnectDelay, cancellationToken);
                continue;
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    if ((int)response.StatusCode >= 500 && last is not null && ++failures <= MaxReconnects)
                    {
                        await Task.Delay(ReconnectDelay, cancellationToken);
                        continue;
                    }

                    throw ServerApi.Refusal(response.StatusCode, body);
                }

                var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var reading = Read(stream, cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (true)
                {
                    JobEvent? next;
                    try
                    {
                        next = await reading.MoveNextAsync() ? reading.Current : null;
                    }
                    catch (Exception error) when (error is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                    {
                        next = null;
                    }

                    if (next is null)
                    {
                        break; // the stream ended: connect again from the last event
                    }

                    failures = 0;
                    last = next.Id;
                    yield return next;
                }
            }

            if (++failures > MaxReconnects)
            {
                throw new HttpRequestException($"the watch of {path} broke {MaxReconnects} times in a row");
            }

            await Task.Delay(ReconnectDelay, cancellationToken);
        }
    }

    private static async IAsyncEnumerable<JobEvent> Read(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var sse in SseReader.ReadAsync(stream, cancellationToken))
        {
            yield return Parse(sse);
        }
    }

    /// <summary>One event's <c>data</c> JSON (the wire format in docs/design.md) as a <see cref="JobEvent"/>.</summary>
    internal static JobEvent Parse(SseEvent sse)
    {
        var data = JsonNode.Parse(sse.Data) as JsonObject ?? throw new FormatException("an event's data is not a JSON object");
        var time = (string?)data["time"];
        return new JobEvent
        {
            Id = sse.Id ?? (string?)data["id"] ?? "",
            Type = sse.Event,
            JobId = (string?)data["job_id"] ?? "",
            Event = (string?)data["event"] ?? sse.Event,
            Stage = (string?)data["job_stage"] ?? "",
            Health = (string?)data["job_health"],
            Time = time is null ? default : DateTimeOffset.Parse(time, CultureInfo.InvariantCulture),
            Detail = data["detail"]?.ToJsonString() ?? "{}",
        };
    }
}
