using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>
/// HTTP/1.1 written byte for byte over a socket: what HttpClient will not send (a bad chunk size, a body shorter than
/// its Content-Length, a body trickled a byte at a time) and what it would hide (the exact status line).
/// </summary>
public static class RawHttp
{
    /// <summary>What came back: the status (0 when the connection closed without one), the whole text, and how long it took.</summary>
    public sealed record Answer(int Status, string Text, TimeSpan Took)
    {
        public string Body
        {
            get
            {
                var end = Text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                {
                    return string.Empty;
                }

                var body = Text[(end + 4)..];
                return Text[..end].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Unchunk(body) : body;
            }
        }

        private static string Unchunk(string chunked)
        {
            var text = new StringBuilder();
            var at = 0;
            while (chunked.IndexOf("\r\n", at, StringComparison.Ordinal) is var line and >= 0
                && int.TryParse(chunked.AsSpan(at, line - at), System.Globalization.NumberStyles.HexNumber, null, out var size) && size > 0)
            {
                // Sizes count bytes; the responses read here are ASCII JSON, where bytes and characters agree.
                text.Append(chunked, line + 2, Math.Min(size, chunked.Length - line - 2));
                at = line + 2 + size + 2;
            }

            return text.ToString();
        }
    }

    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line), then each part of the body after its delay.</summary>
    public static async Task<Answer> SendAsync(Uri server, string head, IEnumerable<(TimeSpan Delay, byte[] Bytes)> body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(body);
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, deadline.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"), deadline.Token);
        var reading = ReadAllAsync(stream, deadline.Token);
        try
        {
            foreach (var (delay, bytes) in body)
            {
                // The server may answer (and close) before the body is all sent: that answer is what is tested.
                if (await Task.WhenAny(reading, Task.Delay(delay, deadline.Token)) == reading)
                {
                    break;
                }

                await stream.WriteAsync(bytes, deadline.Token);
            }
        }
        catch (IOException)
        {
            // The server closed the connection mid-body; its answer, if any, is in what was read.
        }

        var text = await reading;
        return new Answer(StatusOf(text), text, watch.Elapsed);
    }

    /// <summary>One request with its whole body at once.</summary>
    public static Task<Answer> SendAsync(Uri server, string head, byte[] body, CancellationToken cancellationToken) =>
        SendAsync(server, head, [(TimeSpan.Zero, body)], TimeSpan.FromSeconds(30), cancellationToken);

    private static async Task<string> ReadAllAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await received.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                if (Complete(received))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // Reset by the server: keep what arrived.
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>A response with a Content-Length is complete once that many body bytes arrived.</summary>
    private static bool Complete(MemoryStream received)
    {
        var text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        if (text[..end].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal) || text[(end + 4)..].StartsWith("0\r\n\r\n", StringComparison.Ordinal);
        }

        var length = text[..end].Split("\r\n").Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase));
        return length is not null && int.TryParse(length[1].Trim(), out var bytes) && Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= bytes;
    }

    private static int StatusOf(string text) =>
        text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && text.Length >= 12 && int.TryParse(text.AsSpan(9, 3), out var status) ? status : 0;
}
