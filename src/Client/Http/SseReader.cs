using System.Runtime.CompilerServices;
using System.Text;

namespace CompassCi.Client.Http;

/// <summary>
/// Reads a <c>text/event-stream</c> as the HTML standard's event-stream interpretation does: lines end with LF, CRLF or
/// CR; <c>field: value</c> (one space after the colon dropped); <c>data</c> lines accumulate; <c>id</c> sets the last
/// event id (one holding NUL is ignored); a line starting with a colon is a comment (keep-alive); a blank line
/// dispatches the event when it has data. An event cut off by the end of the stream is not dispatched.
/// </summary>
public static class SseReader
{
    /// <summary>
    /// The events of <paramref name="stream"/> until it ends. With <paramref name="idleTimeout"/>, a stream that sends
    /// nothing at all (not even a comment) for that long throws <see cref="TimeoutException"/>: the connection is
    /// presumed dead.
    /// </summary>
    public static async IAsyncEnumerable<SseMessage> ReadAsync(Stream stream, TimeSpan? idleTimeout = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var data = new StringBuilder();
        var hasData = false;
        string? eventType = null;
        string? lastId = null;
        var first = true;
        while (await ReadLineAsync(reader, idleTimeout, cancellationToken) is { } line)
        {
            // A UTF-8 byte order mark may open the stream; it is not part of the first field name.
            if (first && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }

            first = false;
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new SseMessage(eventType ?? "message", data.ToString(), lastId);
                }

                data.Clear();
                hasData = false;
                eventType = null;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.Length > 0 && value[0] == ' ')
            {
                value = value[1..];
            }

            switch (field)
            {
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
                case "event":
                    eventType = value;
                    break;
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    lastId = value;
                    break;
                default:
                    // retry and unknown fields: nothing this client uses.
                    break;
            }
        }
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, TimeSpan? idleTimeout, CancellationToken cancellationToken)
    {
        if (idleTimeout is not { } idle)
        {
            return await reader.ReadLineAsync(cancellationToken);
        }

        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(idle);
        try
        {
            return await reader.ReadLineAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the event stream sent nothing for {idle.TotalSeconds:0} s");
        }
    }
}
