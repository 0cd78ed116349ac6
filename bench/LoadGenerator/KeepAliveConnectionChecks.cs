using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;

namespace CompassCi.LoadGenerator;

/// <summary>
/// <see cref="KeepAliveConnection"/> against a scripted server on a loopback port of its own: keep-alive, "Connection:
/// close", a server that hangs up or never answers, a deadline, nobody listening. Each connection of the server
/// follows the next script, so the count of connections shows when the client reconnected.
/// </summary>
public static class KeepAliveConnectionChecks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);

    public static void Run(SelfTest t)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var baseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        var head = new PostRequestHead(new Uri(baseUrl, "api/v1/jobs"));
        Action<NetworkStream>[] scripts =
        [
            s =>
            {
                Answer(s, "HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\n{\"id\":\"1\"}");
                Answer(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"id\r\n6\r\n\":\"2\"}\r\n0\r\n\r\n");
                Answer(s, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            },
            s => ReadRequest(s),
            s =>
            {
                ReadRequest(s);
                WaitForClose(s);
            },
            s => Answer(s, "HTP/1.1 200 OK\r\n\r\n"),
            s =>
            {
                Answer(s, "HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\n{\"id\":\"5\"}");
                ReadRequest(s);
                WaitForClose(s);
            },
        ];
        var connections = 0;
        var server = new Thread(() => Serve(listener, scripts, ref connections)) { IsBackground = true };
        server.Start();

        using (var connection = new KeepAliveConnection(baseUrl, Timeout))
        {
            Expect(t, connection, head, "201 1", "keep-alive: first answer");
            Expect(t, connection, head, "200 2", "keep-alive: chunked answer on the same connection");
            Expect(t, connection, head, "204 ", "keep-alive: 204 with Connection: close");
            t.Equal(1, Volatile.Read(ref connections), "three requests on one connection");
            Expect(t, connection, head, "IOException: the server closed the connection without answering", "a new connection after Connection: close; the server hangs up");
            Expect(t, connection, head, "TimeoutException: no answer within 0.3 s", "a new connection after the hang-up; no answer within the timeout");
            Expect(t, connection, head, "MalformedResponseException: malformed status line 'HTP/1.1 200 OK'", "a new connection after the timeout; a malformed answer");
            Expect(t, connection, head, "201 5", "a new connection after the malformed answer");
            using (var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
            {
                var clock = Stopwatch.StartNew();
                Expect(t, connection, head, "OperationCanceledException: the run's deadline passed", "the deadline ends a request that waits", deadline.Token);
                t.Expect(clock.Elapsed < TimeSpan.FromMilliseconds(250), $"the deadline ends the wait at once, not after the timeout ({clock.Elapsed.TotalMilliseconds:F0} ms)");
            }

            t.Equal(5, Volatile.Read(ref connections), "one connection per script: reconnected after each failure, none more");
            listener.Stop();
            Expect(t, connection, head, "HttpRequestException: Connection refused", "nobody listening");
        }

        t.Expect(RequestFailure.IsTransport(new TimeoutException(), CancellationToken.None), "a timeout is a transport failure");
        t.Equal("request timed out", RequestFailure.Describe(new TimeoutException()), "a timeout is described as HttpClient's was");
        t.Expect(RequestFailure.IsTransport(new MalformedResponseException("x"), CancellationToken.None), "a malformed answer is a transport failure");
        t.Expect(!RequestFailure.IsTransport(new OperationCanceledException(), CancellationToken.None), "the deadline is not a transport failure");
    }

    /// <summary>Posts {} and compares "status id" of the answer (or "ExceptionType: message") with <paramref name="expected"/>'s start.</summary>
    private static void Expect(SelfTest t, KeepAliveConnection connection, PostRequestHead head, string expected, string what, CancellationToken deadline = default)
    {
        string outcome;
        try
        {
            var answer = connection.Post(head, "{}"u8, deadline);
            outcome = $"{(int)answer.Status} {JobIdReader.Read(answer.Body.Span)}";
        }
        catch (Exception e) when (e is IOException or TimeoutException or HttpRequestException or OperationCanceledException)
        {
            outcome = $"{e.GetType().Name}: {e.Message}";
        }

        t.Expect(outcome.StartsWith(expected, StringComparison.Ordinal), $"{what}: expected \"{expected}\", got \"{outcome}\"");
    }

    /// <summary>Accepts connections until the listener stops; each runs the next script on a thread of its own, then is closed.</summary>
    private static void Serve(TcpListener listener, Action<NetworkStream>[] scripts, ref int connections)
    {
        try
        {
            while (true)
            {
                var socket = listener.AcceptSocket();
                var script = scripts[Math.Min(Interlocked.Increment(ref connections), scripts.Length) - 1];
                new Thread(() =>
                {
                    using var stream = new NetworkStream(socket, ownsSocket: true);
                    try
                    {
                        script(stream);
                    }
                    catch (IOException)
                    {
                        // The client went away first: the script is over either way.
                    }
                }) { IsBackground = true }.Start();
            }
        }
        catch (SocketException)
        {
            // Listener stopped.
        }
    }

    private static void Answer(NetworkStream stream, string response)
    {
        ReadRequest(stream);
        stream.Write(Encoding.ASCII.GetBytes(response));
    }

    /// <summary>Reads one request: headers up to the blank line, then Content-Length bytes (the client always sends one).</summary>
    private static void ReadRequest(NetworkStream stream)
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new IOException("client closed");
            }

            head.Append((char)b);
        }

        var line = head.ToString().Split("\r\n").Single(l => l.StartsWith("Content-Length: ", StringComparison.Ordinal));
        stream.ReadExactly(new byte[int.Parse(line["Content-Length: ".Length..], System.Globalization.CultureInfo.InvariantCulture)]);
    }

    private static void WaitForClose(NetworkStream stream)
    {
        while (stream.ReadByte() >= 0)
        {
        }
    }
}
