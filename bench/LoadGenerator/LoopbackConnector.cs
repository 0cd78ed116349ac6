using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The one way the generator opens a connection: resolves the host itself and refuses any address that is not loopback,
/// so not even a "localhost" that some hosts file points elsewhere can send load off this machine. The shared
/// HttpClient connects through <see cref="ConnectAsync"/>, the hot loops' own connections through <see cref="Connect"/>.
/// </summary>
public static class LoopbackConnector
{
    /// <summary>The connect step of the HttpClient's handler.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = Bare(context.DnsEndPoint.Host);
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var socket = NewSocket();
        try
        {
            await socket.ConnectAsync(LoopbackOnly(host, addresses), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A blocking connect, for <see cref="KeepAliveConnection"/>: a socket that never saw an async operation stays in
    /// blocking mode, so its sends and receives are plain system calls with no event loop in between.
    /// </summary>
    /// <param name="socket">From <see cref="NewSocket"/>, not yet connected: the caller holds it, so a timeout can close it to abort the connect.</param>
    public static void Connect(Socket socket, string host, int port)
    {
        host = Bare(host);
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : Dns.GetHostAddresses(host);
        socket.Connect(LoopbackOnly(host, addresses), port);
    }

    /// <summary>Dual-mode TCP socket: one socket type reaches both 127.0.0.1 and ::1.</summary>
    public static Socket NewSocket() => new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    /// <summary>An IPv6 literal may arrive in its URL form "[::1]"; the resolver wants it bare.</summary>
    private static string Bare(string host) => host.Trim('[', ']');

    private static IPAddress[] LoopbackOnly(string host, IPAddress[] addresses)
    {
        var loopback = addresses.Where(IPAddress.IsLoopback).ToArray();
        return loopback.Length > 0
            ? loopback
            : throw new HttpRequestException($"refusing to connect: '{host}' does not resolve to a loopback address");
    }
}
