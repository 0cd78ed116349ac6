using System.Globalization;
using CompassCi.Grains.Compat;

namespace CompassCi.Api.Compat;

/// <summary>
/// Where a testbox reaches the scheduler: the host and port written into boot scripts and job.sh (<c>LKP_SERVER</c>,
/// <c>LKP_CGI_PORT</c>, <c>SCHED_HOST</c>, <c>SCHED_PORT</c>). Configured (<see cref="CompatOptions.SchedHost"/>,
/// <see cref="CompatOptions.SchedPort"/>), else what the testbox's own request named, so that the answer points back
/// at the address the box already used.
/// </summary>
public sealed record SchedulerAddress(string Host, int Port)
{
    /// <summary>The address for a request arriving as <paramref name="request"/>.</summary>
    public static SchedulerAddress Of(HttpRequest request, CompatOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var host = options.SchedHost is { Length: > 0 } configured ? configured : request.Host.Host is { Length: > 0 } named ? named : "127.0.0.1";
        var port = options.SchedPort ?? request.Host.Port ?? request.HttpContext.Connection.LocalPort;
        return new SchedulerAddress(host, port);
    }

    /// <summary><c>http://host:port</c>.</summary>
    public string BaseUrl => $"http://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A configured URL prefix with <c>{sched_host}</c> replaced by this host (<see cref="CompatOptions.OsHttpPrefix"/>).</summary>
    public string Expand(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix.Replace("{sched_host}", Host, StringComparison.Ordinal).TrimEnd('/');
    }
}
