using System.Net;
using System.Runtime.CompilerServices;
using CompassCi.Contracts.Jobs;
using CompassCi.Contracts.Watch;

namespace CompassCi.Client.Http;

/// <summary>
/// Watches: the server-sent events of <c>GET /api/v1/jobs/{id}/watch</c> and <c>GET /api/v1/watch</c> as
/// <see cref="JobEvent"/>s. A connection that drops (or goes silent past <see cref="CompassCiHttpOptions.WatchIdleTimeout"/>)
/// is opened again with <c>Last-Event-ID</c> = the last event handed out, so the caller sees every change once.
/// </summary>
public sealed partial class CompassCiHttpClient
{
    /// <inheritdoc/>
    public IAsyncEnumerable<JobEvent> WatchJobAsync(string id, string? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return WatchStreamAsync($"api/v1/jobs/{Uri.EscapeDataString(id)}/watch", after, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<JobEvent> WatchAsync(WatchFilter filter, string? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in new[] { ("my_account", filter.MyAccount), ("suite", filter.Suite), ("tbox_group", filter.TboxGroup), ("testbox", filter.Testbox) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                parameters.Add(new(name, value));
            }
        }

        return WatchStreamAsync("api/v1/watch" + QueryString(parameters), after, cancellationToken);
    }

    private async IAsyncEnumerable<JobEvent> WatchStreamAsync(string path, string? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The position travels in Last-Event-ID only: an `after` in the query would win over the header on a reconnect.
        var position = after;
        while (true)
        {
            using var response = await OpenWatchAsync(path, position, cancellationToken);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var events = SseReader.ReadAsync(stream, _options.WatchIdleTimeout, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                SseMessage message;
                try
                {
                    if (!await events.MoveNextAsync())
                    {
                        break;
                    }

                    message = events.Current;
                }
                catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is IOException or HttpRequestException or TimeoutException or OperationCanceledException)
                {
                    // The connection dropped or went silent: open it again from the last event handed out.
                    break;
                }

                if (!JobEventJson.IsJobEvent(message))
                {
                    continue;
                }

                var change = JobEventJson.Read(message);
                position = change.Id;
                yield return change;
            }

            // A stream the server ended (a stopping silo) is resumed the same way as one that broke.
        }
    }

    /// <summary>Opens one watch connection through the pipeline (a watch is a read: retried within the budget); a refusal is thrown.</summary>
    private async Task<HttpResponseMessage> OpenWatchAsync(string path, string? position, CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            HttpMethod.Get,
            path,
            null,
            idempotent: true,
            cancellationToken,
            prepare: request =>
            {
                request.Headers.Accept.ParseAdd("text/event-stream");
                if (position is not null)
                {
                    request.Headers.TryAddWithoutValidation("Last-Event-ID", position);
                }
            },
            completion: HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response)
            {
                throw (await Problem.ReadAsync(response, cancellationToken)).ToException();
            }
        }

        return response;
    }
}
