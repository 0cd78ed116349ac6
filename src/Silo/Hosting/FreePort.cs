using System.Net;
using System.Net.Sockets;

namespace CompassCi.Silo.Hosting;

/// <summary>Finds a free TCP port on loopback, for "port 0" settings that Orleans must advertise.</summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int OrPick(int port) => port == 0 ? Pick() : port;
}
