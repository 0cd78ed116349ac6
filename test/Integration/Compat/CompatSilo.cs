using System.Globalization;
using CompassCi.Silo.Hosting;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>
/// A silo as a compass-ci lab would run it for unchanged lkp-tests testboxes: the WebDAV result server on a port of its
/// own (RESULT_WEBDAV_PORT), a fixed token key (so tests can derive a job's job.cgz token), host registrations that
/// expire after 4 s without a heart-beat, and boot requests that wait 3 s (over a WebSocket 1 s) before "no job".
/// </summary>
public sealed class CompatSilo(MariaDbFixture database) : SiloFixture(database)
{
    public const string TokenKey = "compat-tests-token-key-0123456789";
    public const int BootWaitSeconds = 3;

    /// <summary>The WebDAV address (LKP_SERVER:RESULT_WEBDAV_PORT).</summary>
    public Uri WebDav { get; } = new($"http://127.0.0.1:{FreePort.Pick().ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The results folder.</summary>
    public string ResultsRoot { get; } = Path.Combine(Path.GetTempPath(), "compassci-compat-" + Guid.NewGuid().ToString("N")[..12]);

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Results__WebDavUrl"] = WebDav.ToString().TrimEnd('/'),
        ["CompassCi__Results__Root"] = ResultsRoot,
        ["CompassCi__Auth__TokenKey"] = TokenKey,
        ["CompassCi__Compat__RegistrationTtl"] = "00:00:04",
        ["CompassCi__Compat__BootWaitSeconds"] = BootWaitSeconds.ToString(CultureInfo.InvariantCulture),
        ["CompassCi__Compat__WebSocketBootWaitSeconds"] = "1",
    };

    /// <summary>The silo's port, as boot answers name it.</summary>
    public int Port => Silo.BaseAddress.Port;
}
