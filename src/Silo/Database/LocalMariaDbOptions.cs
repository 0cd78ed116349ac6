namespace CompassCi.Silo.Database;

/// <summary>
/// Settings for <see cref="LocalMariaDb"/>: where the private server keeps its files and how clients reach it.
/// </summary>
public sealed class LocalMariaDbOptions
{
    /// <summary>
    /// The MariaDB data directory. Created when missing; when it already holds an initialised server
    /// (a <c>mysql</c> subfolder) it is reused, so data survives restarts. No default: it must be set.
    /// </summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>TCP port on 127.0.0.1. Default 0: pick a free port at every start.</summary>
    public int Port { get; set; }

    /// <summary>The application database, created when missing. Default <c>compass</c>.</summary>
    public string Database { get; set; } = "compass";

    /// <summary>The application user (<c>'User'@'127.0.0.1'</c>), created when missing. Default <c>compass</c>.</summary>
    public string User { get; set; } = "compass";

    /// <summary>
    /// The application user's password. Default null: generated once and kept in a file in
    /// <see cref="DataDirectory"/>, so a restart reuses it.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>
    /// When MariaDB is not installed and the process runs as root, install it with apt-get.
    /// Default false: fail with a message naming the command to run instead.
    /// </summary>
    public bool InstallIfMissing { get; set; }

    /// <summary>
    /// InnoDB's buffer pool, in MiB. Default 256 (what a test's private server needs); the silo passes its own setting.
    /// The server takes the memory as it reads pages, not at start.
    /// </summary>
    public int BufferPoolMegabytes { get; set; } = 256;

    /// <summary>
    /// InnoDB's redo log, in MiB. Default 96 (MariaDB's own: what a test's private server needs); the silo passes its own
    /// setting. The file takes this much disk from the start.
    /// </summary>
    public int RedoLogMegabytes { get; set; } = 96;

    /// <summary>How long to wait for the server to accept connections. Default 30 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful shutdown (SIGTERM) may take before the server is killed. Default 20 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
