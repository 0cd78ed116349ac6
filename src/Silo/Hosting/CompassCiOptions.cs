using System.Net;
using CompassCi.Grains.Configuration;

namespace CompassCi.Silo.Hosting;

/// <summary>
/// The silo's own settings, at the top of the <c>CompassCi</c> section (appsettings.json, or environment variables such
/// as <c>CompassCi__ConnectionString</c>): the database, the ports, the cluster's name.
/// </summary>
public sealed class CompassCiOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi";

    /// <summary>
    /// MySqlConnector connection string of the MariaDB/MySQL database. Empty (the default): provision and
    /// run a private MariaDB under <see cref="DataDirectory"/>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Where the private MariaDB keeps its files when no connection string is given. Default <c>.data</c>.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Port of the private MariaDB. Default 0: any free port.</summary>
    public int DatabasePort { get; set; }

    /// <summary>
    /// InnoDB buffer pool of the private MariaDB, in MiB. Default 1024: 100,000 jobs of 1 KiB take ~340 MB of table and
    /// indexes, and a pool smaller than that makes claims and submits evict and re-read pages (bench, two 100k pairs,
    /// 1 GiB against 256 MiB: MariaDB CPU per consume 0.28-0.31 against 0.31-0.34 ms, per submit 0.19-0.22 against
    /// 0.23-0.30 ms). Taken as pages are read, not at start.
    /// </summary>
    public int DatabaseBufferPoolMegabytes { get; set; } = 1024;

    /// <summary>
    /// InnoDB redo log of the private MariaDB, in MiB (disk, taken at start). Default 1024: a drain of 100,000 jobs writes
    /// ~380 MB of redo and a submit of them ~300 MB; with MariaDB's 96 MiB, checkpoints keep forcing page flushes that
    /// stall commits, and with one commit in flight every claim queued behind a stalled one waits. Bench, 100k: consume p99
    /// 34–39 against 59 ms in two single runs, 43 and 48 against 57 and 65 ms over two cycles on one silo (more redo than
    /// the log holds); the rates gained in the single runs (drain 4,500–4,680 against 3,870–4,136/s), not over two cycles.
    /// </summary>
    public int DatabaseRedoLogMegabytes { get; set; } = 1024;

    /// <summary>Install mariadb-server with apt when it is missing and we run as root. Default true.</summary>
    public bool InstallDatabase { get; set; } = true;

    /// <summary>Orleans cluster id: silos with the same id and database form one cluster. Default <c>compassci</c>.</summary>
    public string ClusterId { get; set; } = "compassci";

    /// <summary>Orleans service id; keeps grain state and reminders across cluster ids. Default <c>compassci</c>.</summary>
    public string ServiceId { get; set; } = "compassci";

    /// <summary>Silo-to-silo port. Default 11111; 0 picks a free port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for Orleans clients (the client SDK). Default 30000; 0 picks a free port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other silos reach this one at. Default 127.0.0.1.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>HTTP address of the REST gateway when neither --urls nor ASPNETCORE_URLS says. Default http://127.0.0.1:3000.</summary>
    public string HttpUrl { get; set; } = "http://127.0.0.1:3000";

    /// <summary>
    /// How long opening a database connection may take (MySqlConnector's Connection Timeout). Default 5 s: a stopped
    /// or unreachable server then costs a client a quick 503, not a hang. A Connection Timeout in
    /// <see cref="ConnectionString"/> wins.
    /// </summary>
    public int DatabaseConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long one SQL statement (or one group commit's batch) may run (MySqlConnector's Default Command Timeout);
    /// the driver then gives up within 2 s more, and a job write queued for longer than this is failed without being
    /// run. Default 5 s, far above what a 256-write group commit takes; schema migrations set their own, longer limits,
    /// and a consume's long-poll waits in memory, not in the database. A Default Command Timeout in
    /// <see cref="ConnectionString"/> wins.
    /// </summary>
    public int DatabaseCommandTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long a stop (SIGTERM, Ctrl-C) may take: handing grains over and leaving the membership table. Default 10 s;
    /// past it the silo exits anyway, which a cluster survives like any other silo's death.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Collect and serve metrics (<c>GET /metrics</c>, and OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set). Default
    /// true; false leaves every instrument without a listener (the bench compares the two) and <c>/metrics</c> unmapped.
    /// </summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// The console log's format: <c>simple</c> (the default, one readable line per entry) or <c>json</c> (one JSON
    /// object per line with the log scopes' fields and a UTC timestamp, for containers). See <see cref="Hosting.LogFormat"/>.
    /// </summary>
    public string LogFormat { get; set; } = Hosting.LogFormat.Simple;

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        IEnumerable<string> problems =
        [
            .. OptionRules.Between(Section, nameof(DatabaseConnectTimeoutSeconds), DatabaseConnectTimeoutSeconds, 1, 300, " of seconds"),
            .. OptionRules.Between(Section, nameof(DatabaseCommandTimeoutSeconds), DatabaseCommandTimeoutSeconds, 1, 3_600, " of seconds"),
            .. OptionRules.Between(Section, nameof(ShutdownTimeout), ShutdownTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            .. OptionRules.Between(Section, nameof(DatabasePort), DatabasePort, 0, 65_535),
            .. OptionRules.Between(Section, nameof(DatabaseBufferPoolMegabytes), DatabaseBufferPoolMegabytes, 16, 1_048_576, " of MiB"),
            .. OptionRules.Between(Section, nameof(DatabaseRedoLogMegabytes), DatabaseRedoLogMegabytes, 16, 524_288, " of MiB"),
            .. OptionRules.Between(Section, nameof(SiloPort), SiloPort, 0, 65_535),
            .. OptionRules.Between(Section, nameof(GatewayPort), GatewayPort, 0, 65_535),
        ];
        foreach (var problem in problems)
        {
            yield return problem;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(DataDirectory))
        {
            yield return $"{Section}:{nameof(DataDirectory)} is empty; name a folder for the private MariaDB, or set {Section}:{nameof(ConnectionString)}";
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return $"{Section}:{nameof(ClusterId)} and {Section}:{nameof(ServiceId)} must not be empty";
        }

        if (!Hosting.LogFormat.IsKnown(LogFormat))
        {
            yield return $"{Section}:{nameof(LogFormat)} is '{LogFormat}'; it must be {Hosting.LogFormat.Simple} or {Hosting.LogFormat.Json}";
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return $"{Section}:{nameof(AdvertisedAddress)} is '{AdvertisedAddress}'; it must be an IP address other silos can reach, like 10.0.0.5";
        }

        if (!Uri.TryCreate(HttpUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"{Section}:{nameof(HttpUrl)} is '{HttpUrl}'; it must be an absolute http:// or https:// address, like http://127.0.0.1:3000";
        }
    }
}
