using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;

namespace CompassCi.LoadGenerator;

/// <summary>
/// One loop's own HTTP/1.1 connection for the hot paths (submit, consume). HttpClient, with its continuations passed
/// between thread-pool threads, cost the generator more than half the CPU per request that the server spends
/// answering it, on the same small machine. This
/// writes pre-built request bytes and frames the answer by hand (<see cref="HttpResponseReader"/>), with buffers kept
/// between requests, over a blocking socket: the loop's thread sleeps in recv and the kernel wakes it with the answer,
/// with no event loop and no hand-over to a pool thread in between (those hand-overs were most of the cost left).
/// </summary>
/// <remarks>
/// Requests go one at a time (each loop is sequential, on its own thread: <see cref="LoopThreads"/>), so nothing is
/// shared or locked. The connection is opened on first use through <see cref="LoopbackConnector"/> (loopback addresses
/// only), kept alive, and dropped after any failure, a timeout, a cancellation or a "Connection: close"; the next
/// request opens a new one. A failed attempt is never retried here: it surfaces as an IOException, an
/// HttpRequestException (cannot connect) or a TimeoutException, which <see cref="RequestFailure"/> counts as a transport
/// failure, as the callers counted HttpClient's, and the caller decides about retrying.
/// </remarks>
public sealed class KeepAliveConnection : IDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly bool _tls;
    private readonly TimeSpan _timeout;
    private readonly HttpResponseReader _reader = new();
    private byte[] _send = new byte[4 * 1024];
    private Socket? _socket;
    private Stream? _stream;

    // Per-attempt timeout: one source, linked to the caller's deadline, re-armed for every request and reset after it,
    // rather than a new linked source and timer per request. When it fires it closes the socket, which ends a blocked
    // send, receive or connect at once.
    private CancellationTokenSource? _attempt;
    private CancellationToken _attemptLinkedTo;

    /// <param name="baseUrl">Server address (already checked by <see cref="LoopbackUrl"/>); requests must be for URLs on it.</param>
    /// <param name="timeout">Per attempt, connect included; <see cref="LoopbackHttpClient.RequestTimeout"/> unless a long poll needs longer.</param>
    public KeepAliveConnection(Uri baseUrl, TimeSpan? timeout = null)
    {
        _host = baseUrl.Host;
        _port = baseUrl.Port;
        _tls = baseUrl.Scheme == Uri.UriSchemeHttps;
        _timeout = timeout ?? LoopbackHttpClient.RequestTimeout;
    }

    /// <summary>Sends one POST and reads its whole answer; blocks the calling thread until then.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="deadline"/> was cancelled (the connection is dropped).</exception>
    public HttpAnswer Post(PostRequestHead head, ReadOnlySpan<byte> body, CancellationToken deadline)
    {
        var attempt = StartAttempt(deadline);
        var abort = default(CancellationTokenRegistration);
        try
        {
            // Close() clears both, so a socket without a stream is a new one still to be connected; the registration
            // is made first so that a connect that hangs is aborted as well.
            _socket ??= LoopbackConnector.NewSocket();
            abort = attempt.UnsafeRegister(static socket => ((Socket)socket!).Dispose(), _socket);
            _stream ??= Open(_socket);

            if (_send.Length < head.MaxLength(body.Length))
            {
                _send = new byte[head.MaxLength(body.Length)];
            }

            var length = head.Write(_send, body);
            _stream.Write(_send, 0, length);
            _reader.Read(_stream);
            var answer = new HttpAnswer((HttpStatusCode)_reader.Status, _reader.Body);

            // Waits for a timeout that fired just now to finish closing the socket, so the check below sees it.
            abort.Dispose();
            if (!_reader.Reusable || attempt.IsCancellationRequested)
            {
                Close();
            }

            return answer;
        }
        catch (Exception e)
        {
            // Whatever went wrong, the connection's state is unknown: the next request starts on a fresh one.
            abort.Dispose();
            Close();
            if (deadline.IsCancellationRequested)
            {
                throw new OperationCanceledException("the run's deadline passed", e, deadline);
            }

            if (attempt.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer within {_timeout.TotalSeconds:0.###} s", e);
            }

            throw;
        }
        finally
        {
            EndAttempt();
        }
    }

    public void Dispose()
    {
        Close();
        _attempt?.Dispose();
        _attempt = null;
    }

    private CancellationToken StartAttempt(CancellationToken deadline)
    {
        if (_attempt is null || _attemptLinkedTo != deadline)
        {
            _attempt?.Dispose();
            _attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            _attemptLinkedTo = deadline;
        }

        _attempt.CancelAfter(_timeout);
        return _attempt.Token;
    }

    /// <summary>Disarms the timer; a source that fired (timeout or deadline) cannot be reused, so it is replaced next time.</summary>
    private void EndAttempt()
    {
        if (_attempt is not null && !_attempt.TryReset())
        {
            _attempt.Dispose();
            _attempt = null;
        }
    }

    private Stream Open(Socket socket)
    {
        try
        {
            LoopbackConnector.Connect(socket, _host, _port);
        }
        catch (Exception e) when (e is not HttpRequestException)
        {
            // As HttpClient reported it: a refused connection is an HttpRequestException naming the address.
            throw new HttpRequestException($"{e.Message} ({_host}:{_port})", e);
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        if (!_tls)
        {
            return stream;
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = _host.Trim('[', ']') });
            return tls;
        }
        catch (Exception e)
        {
            tls.Dispose();
            throw new HttpRequestException($"TLS handshake with {_host}:{_port} failed: {e.Message}", e);
        }
    }

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
        _socket?.Dispose();
        _socket = null;
        _reader.Reset();
    }
}
