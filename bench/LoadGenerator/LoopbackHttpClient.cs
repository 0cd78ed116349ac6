using System.Net;
using System.Net.Http;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The HttpClient of the cold paths (readiness, /metrics, queue listing, results upload, the long-poll trickle): pooled
/// connections to the loopback server and nowhere else. The hot loops use <see cref="KeepAliveConnection"/> instead.
/// </summary>
public static class LoopbackHttpClient
{
    /// <summary>How long one attempt may take before it counts as a (retryable) failure.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static HttpClient Create()
    {
        var handler = new SocketsHttpHandler
        {
            // Each concurrent request keeps its own connection; the pool must never make requests queue behind each other.
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
            Timeout = RequestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
