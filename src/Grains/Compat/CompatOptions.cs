using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Compat;

/// <summary>
/// How CompassCi speaks compass-ci's wire protocol to unchanged lkp-tests testboxes and providers (section
/// <c>CompassCi:Compat</c>): the addresses it writes into boot scripts and <c>job.sh</c>, how long a provider's
/// registration lives, how long a boot request waits for a job, and the zone compass-ci's times are written in.
/// </summary>
public sealed class CompatOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Compat";

    /// <summary>
    /// The name or address testboxes reach the scheduler at (<c>LKP_SERVER</c>, <c>SCHED_HOST</c> in job.sh, the host of
    /// every URL in a boot answer). Null: the host the testbox's own request named (its <c>Host</c> header), which is
    /// right unless a proxy rewrites it.
    /// </summary>
    public string? SchedHost { get; set; }

    /// <summary>The scheduler's port as testboxes reach it (<c>LKP_CGI_PORT</c>, <c>SCHED_PORT</c>). Null: the request's port.</summary>
    public int? SchedPort { get; set; }

    /// <summary>The result WebDAV port written into job.sh (<c>RESULT_WEBDAV_PORT</c>). Null: the port of <c>CompassCi:Results:WebDavUrl</c> (3080).</summary>
    public int? ResultWebdavPort { get; set; }

    /// <summary>
    /// Where OS kernels and images are served (compass-ci's <c>OS_HTTP_HOST:OS_HTTP_PORT</c>), as a URL prefix;
    /// <c>{sched_host}</c> stands for the scheduler's host. Default <c>http://{sched_host}:8000</c>.
    /// </summary>
    public string OsHttpPrefix { get; set; } = "http://{sched_host}:8000";

    /// <summary>Where initrds (os images, deps, pkgs, the lkp-tests cgz) are served (compass-ci's <c>INITRD_HTTP_PREFIX</c>). Default <c>http://{sched_host}:8800</c>.</summary>
    public string InitrdHttpPrefix { get; set; } = "http://{sched_host}:8800";

    /// <summary>How long a provider's or host's <c>register-host2redis</c> lasts without a <c>heart-beat</c> (compass-ci: a 60 s TTL).</summary>
    public TimeSpan RegistrationTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a <c>boot.*</c> or <c>gpxelinux.cgi</c> request waits for a job before the "no job" answer (compass-ci: up to 600 s).</summary>
    public int BootWaitSeconds { get; set; } = 300;

    /// <summary>How long a <c>ws/boot.*</c> request waits for a job before answering "no job" (the provider asks again).</summary>
    public int WebSocketBootWaitSeconds { get; set; } = 30;

    /// <summary>
    /// The IANA or Windows id of the zone compass-ci's times are written in (deadlines, <c>*_time</c> fields; compass-ci
    /// hard-codes +0800). Null: the machine's local zone.
    /// </summary>
    public string? TimeZone { get; set; }

    /// <summary><c>RESULT_WEBDAV_PORT</c>: <see cref="ResultWebdavPort"/>, else the port of the result WebDAV address <paramref name="webDavUrl"/>, else lkp's default 3080.</summary>
    public int WebdavPortFor(string? webDavUrl) =>
        ResultWebdavPort ?? (Uri.TryCreate(webDavUrl, UriKind.Absolute, out var url) ? url.Port : 3080);

    /// <summary>The zone <see cref="TimeZone"/> names, or <paramref name="machineZone"/> when it names none.</summary>
    public TimeZoneInfo Zone(TimeZoneInfo machineZone) =>
        TimeZone is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : machineZone;

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        foreach (var (name, port) in new[] { (nameof(SchedPort), SchedPort), (nameof(ResultWebdavPort), ResultWebdavPort) })
        {
            if (port is { } p)
            {
                foreach (var problem in OptionRules.Between(Section, name, p, 1, 65535))
                {
                    yield return problem;
                }
            }
        }

        foreach (var problem in OptionRules.Between(Section, nameof(BootWaitSeconds), BootWaitSeconds, 0, 3600))
        {
            yield return problem;
        }

        foreach (var problem in OptionRules.Between(Section, nameof(WebSocketBootWaitSeconds), WebSocketBootWaitSeconds, 0, 3600))
        {
            yield return problem;
        }

        if (RegistrationTtl <= TimeSpan.Zero)
        {
            yield return $"{Section}:{nameof(RegistrationTtl)} is {RegistrationTtl}; it must be positive, like 00:01:00";
        }

        if (TimeZone is { Length: > 0 } id && !TimeZoneInfo.TryFindSystemTimeZoneById(id, out _))
        {
            yield return $"{Section}:{nameof(TimeZone)} is '{id}', which names no time zone on this machine; use an IANA id like Asia/Shanghai, or leave it empty for the machine's zone";
        }
    }
}
