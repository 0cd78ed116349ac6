using System.Net;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Watch;

/// <summary>One server-sent event as a client reads it off the wire.</summary>
public sealed record SseEvent(string Id, string Event, JsonObject Data);

/// <summary>
/// A client's end of a server-sent event stream: opened with the headers only, then read event by event (comment
/// lines, the keep-alive, are skipped), each read bounded by a timeout instead of sleeping.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>How many keep-alive comments have been read so far.</summary>
    public int KeepAlives { get; private set; }

    /// <summary>Opens <paramref name="path"/>, sending <paramref name="lastEventId"/> as <c>Last-Event-ID</c> and <paramref name="token"/> as the bearer when given.</summary>
    public static async Task<SseClient> OpenAsync(HttpClient http, string path, string? lastEventId = null, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return new SseClient(response, new StreamReader(body));
    }

    /// <summary>The next event; fails the test when none comes within <paramref name="timeout"/>.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan timeout)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout);
        string? id = null, name = null, data = null;
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(limit.Token) ?? throw new InvalidOperationException("the stream ended");
                if (line.Length == 0)
                {
                    if (data is not null)
                    {
                        return new SseEvent(id ?? "", name ?? "message", (JsonObject)JsonNode.Parse(data)!);
                    }

                    continue;
                }

                if (line.StartsWith(':'))
                {
                    KeepAlives++;
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": name = value; break;
                    case "data": data = data is null ? value : data + "\n" + value; break;
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no event within {timeout}");
        }
    }

    /// <summary>Events until one satisfies <paramref name="last"/> (included), each within <paramref name="timeout"/>.</summary>
    public async Task<List<SseEvent>> UntilAsync(Func<SseEvent, bool> last, TimeSpan timeout)
    {
        List<SseEvent> events = [];
        while (true)
        {
            events.Add(await NextAsync(timeout));
            if (last(events[^1]))
            {
                return events;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
