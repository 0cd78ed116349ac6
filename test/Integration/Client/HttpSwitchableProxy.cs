using System.Net;
using System.Net.Sockets;

namespace CompassCi.Tests.Integration.Client;

/// <summary>
/// A fixed loopback address in front of a server that may move: the silo restarted after a kill listens on a new port,
/// and the client keeps its one address, as behind a load balancer. While the target is down, a connection is
/// accepted and closed at once, as a server that refuses it.
/// </summary>
public sealed class HttpSwitchableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile int _targetPort;

    public HttpSwitchableProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>New connections go to <paramref name="port"/> from now on.</summary>
    public void Retarget(int port) => _targetPort = port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
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
            _ = LinkAsync(client);
        }
    }

    private async Task LinkAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var a = client.GetStream();
                var b = server.GetStream();
                // Whichever side ends first ends the link: a killed silo's connections die for the client too.
                await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
            }
            catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The target is down or a side went away: the client sees its connection closed.
            }
        }
    }
}
