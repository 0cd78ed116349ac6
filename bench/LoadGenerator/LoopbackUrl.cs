using System.Net;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Accepts only http(s) addresses on this machine: the generator is a load tool and must never be pointed,
/// even by mistake, at someone else's server.
/// </summary>
public static class LoopbackUrl
{
    /// <summary>Parses <paramref name="text"/>; on success <paramref name="url"/> ends in '/' so relative paths append.</summary>
    public static bool TryParse(string text, out Uri url, out string error)
    {
        url = new Uri("http://127.0.0.1/");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            error = $"--url '{text}' is not an absolute http or https address";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo) || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment))
        {
            error = $"--url '{text}' must not carry user info, a query or a fragment";
            return false;
        }

        if (!IsLoopbackHost(parsed))
        {
            error = $"--url '{text}' is not a loopback address (use 127.0.0.1, [::1] or localhost)";
            return false;
        }

        var path = parsed.AbsolutePath.EndsWith('/') ? parsed.AbsolutePath : parsed.AbsolutePath + "/";
        url = new UriBuilder(parsed.Scheme, parsed.Host, parsed.Port, path).Uri;
        error = "";
        return true;
    }

    private static bool IsLoopbackHost(Uri url) => url.HostNameType switch
    {
        // DnsSafeHost drops the brackets of an IPv6 literal.
        UriHostNameType.IPv4 or UriHostNameType.IPv6 => IPAddress.TryParse(url.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip),
        // The name is only trusted here; LoopbackConnector still refuses to connect if it resolves elsewhere.
        UriHostNameType.Dns => string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
