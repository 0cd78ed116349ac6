using System.Net;
using System.Net.Http;

namespace CompassCi.LoadGenerator;

/// <summary>The one HttpClient every loop shares: pooled connections to the loopback server and nowhere else.</summary>
public static class LoopbackHttpClient
{
    /// <summary>How long one attempt may take before it counts as a (retryable) failure.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <param name="timeout">Per-attempt timeout; longer than <see cref="RequestTimeout"/> for long polls that may wait 30 s by design.</param>
    public static HttpClient Create(TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            // Each concurrent loop keeps its own connection; the pool must never make loops queue behind each other.
            MaxConnectionsPerServer = 4096,
            // Recycled now and then as a good citizen; long enough that no connection is re-made during a phase.
            PooledConnectionLifetime = TimeSpan.FromMinutes(15),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Load goes to the given URL only: no proxy from HTTP_PROXY, no following a redirect elsewhere.
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectCallback = LoopbackConnector.ConnectAsync,
        };

        return new HttpClient(handler, disposeHandler: true)
        {
            Timeout = timeout ?? RequestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
