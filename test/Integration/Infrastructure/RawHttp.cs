using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>How a request's bytes go out: all at once, the body a few bytes a second, or not at all after the head.</summary>
public enum SendMode
{
    /// <summary>Head and body at once.</summary>
    Normal,

    /// <summary>The head at once, then the body <see cref="RawSend.TrickleBytesPerSecond"/> bytes a second.</summary>
    Trickle,

    /// <summary>The head at once, then nothing: the body its Content-Length promises never comes.</summary>
    Stall,
}

/// <summary>How to send one raw request, and how long to wait for its answer.</summary>
/// <param name="Method">The request's method; a HEAD answer has no body to read.</param>
public sealed record RawSend(string Method, TimeSpan Timeout, SendMode Send = SendMode.Normal, int TrickleBytesPerSecond = 1);

/// <summary>What came back for one raw request.</summary>
public sealed record RawAnswer(int? Status, string Head, byte[] Body, bool Closed, bool TimedOut, TimeSpan Elapsed, string? SendError)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>A short description for messages and the summary: the status or what happened instead.</summary>
    public string Outcome => TimedOut ? "no answer (hang)" : Status is { } s ? s.ToString(CultureInfo.InvariantCulture) : "closed without an answer";
}

/// <summary>
/// Sends a request over a plain TCP socket, byte for byte as given: an HTTP client library would repair or refuse
/// exactly what the corpus is about (bad chunk sizes, lying Content-Length, bytes a header may not hold, a trickled body).
/// The answer is read while the body is still going out, since a server may answer (413, 408) before it has read it all.
/// </summary>
public static class RawHttp
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    public static async Task<RawAnswer> SendAsync(Uri server, byte[] head, byte[] body, RawSend how, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(how.Timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port, timeout.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var sending = WriteAsync(stream, head, body, how, stopSending.Token);
        var response = new MemoryStream();
        int? status = null;
        string headText = string.Empty;
        var closed = false;
        var timedOut = false;
        try
        {
            (status, headText, closed) = await ReadAnswerAsync(stream, response, how.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
        }
        catch (IOException)
        {
            // Reset by the server: whatever arrived before it is the answer.
            closed = status is null;
        }

        await stopSending.CancelAsync();
        var sendError = await sending;
        socket.Close();
        return new RawAnswer(status, headText, response.ToArray(), closed, timedOut, clock.Elapsed, sendError);
    }

    /// <summary>Writes the request; a server that answers and closes early makes writing fail, which is no error of the case.</summary>
    private static async Task<string?> WriteAsync(NetworkStream stream, byte[] head, byte[] body, RawSend how, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(head, cancellationToken);
            switch (how.Send)
            {
                case SendMode.Normal:
                    for (var at = 0; at < body.Length; at += 64 * 1024)
                    {
                        await stream.WriteAsync(body.AsMemory(at, Math.Min(64 * 1024, body.Length - at)), cancellationToken);
                    }

                    break;
                case SendMode.Trickle:
                    for (var at = 0; at < body.Length; at += how.TrickleBytesPerSecond)
                    {
                        await stream.WriteAsync(body.AsMemory(at, Math.Min(how.TrickleBytesPerSecond, body.Length - at)), cancellationToken);
                        // The pace of a slow client, not a wait for the server: that is what this case is.
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }

                    break;
                case SendMode.Stall:
                    break;
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException)
        {
            return error.Message;
        }
    }

    /// <summary>Reads one response (skipping interim 1xx ones): status, head, and its body by Content-Length, chunks, or to the end.</summary>
    private static async Task<(int? Status, string Head, bool Closed)> ReadAnswerAsync(NetworkStream stream, MemoryStream body, bool isHead, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>();
        var chunk = new byte[64 * 1024];
        async Task<bool> MoreAsync()
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            buffer.AddRange(chunk.AsSpan(0, read));
            return read > 0;
        }

        while (true)
        {
            int headEnd;
            while ((headEnd = IndexOf(buffer, HeadEnd)) < 0)
            {
                if (!await MoreAsync())
                {
                    return (null, Encoding.Latin1.GetString([.. buffer]), buffer.Count == 0);
                }
            }

            var head = Encoding.Latin1.GetString([.. buffer.GetRange(0, headEnd)]);
            buffer.RemoveRange(0, headEnd + HeadEnd.Length);
            var statusLine = head.Split("\r\n")[0].Split(' ');
            if (statusLine.Length < 2 || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                return (null, head, false);
            }

            if (status is >= 100 and < 200)
            {
                continue;
            }

            var headers = head.Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .ToLookup(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
            if (isHead || status is 204 or 304)
            {
                return (status, head, false);
            }

            try
            {
                await ReadBodyAsync(headers, buffer, MoreAsync, body);
            }
            catch (IOException)
            {
                // Reset after the head (a server closing on a body it will not read): the status stands.
                body.Write([.. buffer]);
            }

            return (status, head, false);
        }
    }

    private static async Task ReadBodyAsync(ILookup<string, string> headers, List<byte> buffer, Func<Task<bool>> more, MemoryStream body)
    {
        if (headers["transfer-encoding"].Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            await ReadChunkedAsync(buffer, more, body);
        }
        else if (headers["content-length"].FirstOrDefault() is { } lengthText && long.TryParse(lengthText, CultureInfo.InvariantCulture, out var length))
        {
            while (buffer.Count < length && await more())
            {
            }

            body.Write([.. buffer.Take((int)Math.Min(length, buffer.Count))]);
        }
        else
        {
            while (await more())
            {
            }

            body.Write([.. buffer]);
        }
    }

    private static async Task ReadChunkedAsync(List<byte> buffer, Func<Task<bool>> more, MemoryStream body)
    {
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf(buffer, "\r\n"u8.ToArray())) < 0)
            {
                if (!await more())
                {
                    return;
                }
            }

            var sizeText = Encoding.ASCII.GetString([.. buffer.GetRange(0, lineEnd)]).Split(';')[0].Trim();
            buffer.RemoveRange(0, lineEnd + 2);
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                return;
            }

            while (buffer.Count < size + 2)
            {
                if (!await more())
                {
                    body.Write([.. buffer]);
                    return;
                }
            }

            body.Write([.. buffer.GetRange(0, size)]);
            buffer.RemoveRange(0, size + 2);
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
