using System.Text;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The fixed part of a JSON POST to one URL, encoded once: request line, Host and Content-Type. Each request adds only
/// its Content-Length and body, so the hot loops format no headers. The headers are the ones HttpClient sent (no
/// User-Agent, no Accept), so the server sees the same requests as before.
/// </summary>
public sealed class PostRequestHead
{
    private readonly byte[] _head;

    /// <param name="url">Absolute URL; its authority is the Host header, its path (and query) the request target.</param>
    public PostRequestHead(Uri url)
    {
        _head = Encoding.ASCII.GetBytes($"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: ");
    }

    /// <summary>Bytes the whole request can take: the head, up to 10 digits of length, the blank line, the body.</summary>
    public int MaxLength(int bodyLength) => _head.Length + 10 + 4 + bodyLength;

    /// <summary>Writes the whole request into <paramref name="destination"/> (at least <see cref="MaxLength"/> long); returns its length.</summary>
    public int Write(Span<byte> destination, ReadOnlySpan<byte> body)
    {
        _head.CopyTo(destination);
        var at = _head.Length;
        if (!body.Length.TryFormat(destination[at..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new ArgumentException("destination too short for the request", nameof(destination));
        }

        at += digits;
        "\r\n\r\n"u8.CopyTo(destination[at..]);
        at += 4;
        body.CopyTo(destination[at..]);
        return at + body.Length;
    }
}
