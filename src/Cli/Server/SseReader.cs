using System.Text;

namespace CompassCi.Cli.Server;

/// <summary>One server-sent event: its <c>id</c>, <c>event</c> name and <c>data</c> (lines joined by \n).</summary>
internal sealed record SseEvent(string? Id, string Event, string Data);

/// <summary>Reads a <c>text/event-stream</c> body as the HTML spec's parser does (comments skipped, a blank line ends an event).</summary>
internal static class SseReader
{
    public static async IAsyncEnumerable<SseEvent> ReadAsync(
        Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? id = null;
        var name = "message";
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new SseEvent(id, name, data.ToString());
                }

                name = "message";
                data.Clear();
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue; // a keep-alive comment (": waiting")
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
            }
        }
    }
}
