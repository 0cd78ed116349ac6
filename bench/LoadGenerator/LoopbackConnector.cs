using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The connect step of the HTTP handler: resolves the host itself and refuses any address that is not loopback,
/// so not even a "localhost" that some hosts file points elsewhere can send load off this machine.
/// </summary>
public static class LoopbackConnector
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // An IPv6 literal may arrive in its URL form "[::1]"; the resolver wants it bare.
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var loopback = addresses.Where(IPAddress.IsLoopback).ToArray();
        if (loopback.Length == 0)
        {
            throw new HttpRequestException($"refusing to connect: '{host}' does not resolve to a loopback address");
        }

        // Dual-mode socket: one socket type reaches both 127.0.0.1 and ::1.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(loopback, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
