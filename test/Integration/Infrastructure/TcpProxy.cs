using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>
/// A TCP proxy between a silo and MariaDB that can hold back, or swallow, the database's reply to one request: the
/// request is recognised by text it carries (MySqlConnector sends parameter values inline), so a test can order a
/// commit that landed against a reply that has not reached the silo yet, or never will.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Link> _links = [];
    private readonly Lock _gate = new();
    private readonly List<Hold> _armed = [];
    private readonly Task _accepting;

    private TcpProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port the proxy listens on (loopback).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts a proxy in front of <paramref name="port"/> on loopback.</summary>
    public static TcpProxy To(int port) => new(new IPEndPoint(IPAddress.Loopback, port));

    /// <summary>
    /// Arms a hold: the first connection whose client sends <paramref name="marker"/> gets no more bytes from the server,
    /// from the reply to that request on, until the hold is released or dropped.
    /// </summary>
    public Hold HoldReplyTo(string marker)
    {
        var hold = new Hold(Encoding.UTF8.GetBytes(marker));
        lock (_gate)
        {
            _armed.Add(hold);
        }

        return hold;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var link in _links)
        {
            link.Close();
        }

        try
        {
            await _accepting;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(_target, _stop.Token);
            var link = new Link(client, server);
            _links.Add(link);
            _ = PumpClientToServerAsync(link);
            _ = PumpServerToClientAsync(link);
        }
    }

    private async Task PumpClientToServerAsync(Link link)
    {
        var buffer = new byte[64 * 1024];
        var recent = Array.Empty<byte>();
        try
        {
            var from = link.Client.GetStream();
            var to = link.Server.GetStream();
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                // Look at what was sent with a tail of the last chunk, so a marker split over two reads is seen.
                var seen = recent.Concat(buffer.Take(read)).ToArray();
                if (link.Hold is null)
                {
                    lock (_gate)
                    {
                        var matched = _armed.FirstOrDefault(h => seen.AsSpan().IndexOf(h.Marker) >= 0);
                        if (matched is not null)
                        {
                            _armed.Remove(matched);
                            link.Hold = matched;
                            matched.Link = link;
                        }
                    }
                }

                recent = seen.Length > 256 ? seen[^256..] : seen;
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away.
        }

        link.Close();
    }

    private async Task PumpServerToClientAsync(Link link)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var from = link.Server.GetStream();
            var to = link.Client.GetStream();
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (link.Hold is { } hold)
                {
                    hold.Reached.TrySetResult();
                    if (!await hold.Decision.Task)
                    {
                        // Dropped: the reply never reaches the client, and the connection dies as a network would kill it.
                        link.Close();
                        return;
                    }

                    link.Hold = null;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away.
        }

        link.Close();
    }

    /// <summary>One held reply: wait until it is held, then let it through or drop it.</summary>
    public sealed class Hold(byte[] marker)
    {
        internal byte[] Marker { get; } = marker;

        internal Link? Link { get; set; }

        internal TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal TaskCompletionSource<bool> Decision { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the server has answered the marked request and the answer is being held back.</summary>
        public Task Held => Reached.Task;

        /// <summary>Lets the held reply (and everything after it) through.</summary>
        public void Release() => Decision.TrySetResult(true);

        /// <summary>Swallows the held reply and cuts the connection: the client never learns how its request ended.</summary>
        public void Drop() => Decision.TrySetResult(false);
    }

    internal sealed class Link(TcpClient client, TcpClient server)
    {
        public TcpClient Client { get; } = client;

        public TcpClient Server { get; } = server;

        public volatile Hold? Hold;

        public void Close()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }
}
