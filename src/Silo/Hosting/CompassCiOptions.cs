namespace CompassCi.Silo.Hosting;

/// <summary>
/// The <c>CompassCi</c> configuration section (appsettings.json, or environment variables such as
/// <c>CompassCi__ConnectionString</c>).
/// </summary>
public sealed class CompassCiOptions
{
    /// <summary>
    /// MySqlConnector connection string of the MariaDB/MySQL database. Empty (the default): provision and
    /// run a private MariaDB under <see cref="DataDirectory"/>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Where the private MariaDB keeps its files when no connection string is given. Default <c>.data</c>.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Port of the private MariaDB. Default 0: any free port.</summary>
    public int DatabasePort { get; set; }

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
}
