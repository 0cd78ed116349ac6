using CompassCi.Grains.Results;

namespace CompassCi.Silo.Hosting;

/// <summary>The addresses the silo's HTTP server listens on: the REST gateway's and the WebDAV result server's.</summary>
public static class ListenUrls
{
    /// <summary>
    /// --urls or ASPNETCORE_URLS, else <see cref="CompassCiOptions.HttpUrl"/>; plus <see cref="ResultOptions.WebDavUrl"/>
    /// (port 3080, where lkp-tests uploads) unless it is empty or already among them. Both serve every endpoint.
    /// </summary>
    public static string For(IConfiguration configuration, CompassCiOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var main = new[] { configuration["urls"], configuration["ASPNETCORE_URLS"], options.HttpUrl }.First(u => !string.IsNullOrEmpty(u))!;
        var webDav = (configuration.GetSection(ResultOptions.Section).Get<ResultOptions>() ?? new ResultOptions()).WebDavUrl;
        return string.IsNullOrEmpty(webDav) || main.Split(';').Contains(webDav, StringComparer.OrdinalIgnoreCase) ? main : $"{main};{webDav}";
    }
}
