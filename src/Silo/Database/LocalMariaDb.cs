using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CompassCi.Silo.Database;

/// <summary>
/// A private MariaDB server for one data directory: initialised on first use, started on a loopback port,
/// with the application database and user created. Used by the local run command and the integration tests.
/// </summary>
/// <remarks>
/// Only one server can run on a data directory. When another live <see cref="LocalMariaDb"/> (this process or
/// another) already runs it, the new instance shares that server and <see cref="OwnsProcess"/> is false. A server
/// left behind by a process that died is stopped and started afresh.
/// </remarks>
public sealed partial class LocalMariaDb : IAsyncDisposable
{
    private const string PasswordFileName = "compassci-password";
    private const string StateFileName = "compassci-server.json";
    private const string PidFileName = "mysqld.pid";
    private const string ErrorLogFileName = "error.log";
    private const string InstallCommand = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server";

    // sun_path is 108 bytes including the terminating NUL.
    private const int MaxSocketPathBytes = 107;
    private const int Sigterm = 15;
    private const int Sigcont = 18;
    private const int MaxRecentOutputLines = 50;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // Replaced when the supervisor restarts a server that died (LocalMariaDb.Supervision.cs).
    private Process? _process;
    private int _serverPid;
    private readonly string _dataDirectory;
    private readonly string? _privateSocketDirectory;
    private readonly TimeSpan _shutdownTimeout;
    private readonly LocalMariaDbOptions _options;
    private readonly string _user;
    private readonly ILogger _logger;
    private readonly MySqlConnectionStringBuilder _applicationConnection;
    private readonly ConcurrentDictionary<string, byte> _issuedConnectionStrings = new(StringComparer.Ordinal);
    private int _disposed;

    private LocalMariaDb(
        Process? process,
        int serverPid,
        string dataDirectory,
        string socketPath,
        int port,
        LocalMariaDbOptions options,
        string password,
        ILogger logger)
    {
        _process = process;
        _serverPid = serverPid;
        _options = options;
        _dataDirectory = dataDirectory;
        _privateSocketDirectory = socketPath.StartsWith(dataDirectory + "/", StringComparison.Ordinal) ? null : Path.GetDirectoryName(socketPath);
        _shutdownTimeout = options.ShutdownTimeout;
        _user = options.User;
        _logger = logger;
        Port = port;
        SocketPath = socketPath;
        OwnsProcess = process is not null;

        _applicationConnection = new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)port,
            Database = options.Database,
            UserID = options.User,
            Password = password,
            Pooling = true,
            MaximumPoolSize = 200,
            AllowUserVariables = true,
            // Loopback only: TLS would cost a handshake per connection and protect nothing.
            SslMode = MySqlSslMode.None,
        };
        ConnectionString = Issue(_applicationConnection.ConnectionString);

        RootConnectionString = new MySqlConnectionStringBuilder
        {
            Server = socketPath,
            ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = "root",
            // Administrative use is rare; unpooled connections cannot outlive a restarted server.
            Pooling = false,
            AllowUserVariables = true,
        }.ConnectionString;
    }

    /// <summary>Connection string for the application database and user, over TCP to 127.0.0.1 (MySqlConnector format).</summary>
    public string ConnectionString { get; }

    /// <summary>Connection string for the passwordless root account over the Unix socket.</summary>
    public string RootConnectionString { get; }

    /// <summary>The TCP port the server listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>Path of the server's Unix socket.</summary>
    public string SocketPath { get; }

    /// <summary>
    /// True when this instance started the server and <see cref="DisposeAsync"/> stops it; false when it shares
    /// a server that another live instance started on the same data directory.
    /// </summary>
    public bool OwnsProcess { get; }

    /// <summary>Starts (or joins) the private server described by <paramref name="options"/>, without logging.</summary>
    /// <param name="options">Data directory, port, database and user.</param>
    /// <param name="ct">Cancels the start; a server started so far is stopped.</param>
    /// <returns>A running server with the application database and user in place.</returns>
    public static Task<LocalMariaDb> StartAsync(LocalMariaDbOptions options, CancellationToken ct) =>
        StartAsync(options, NullLogger.Instance, ct);

    /// <summary>Starts (or joins) the private server described by <paramref name="options"/>.</summary>
    /// <param name="options">Data directory, port, database and user.</param>
    /// <param name="logger">Receives progress and diagnostics.</param>
    /// <param name="ct">Cancels the start; a server started so far is stopped.</param>
    /// <returns>A running server with the application database and user in place.</returns>
    /// <exception cref="InvalidOperationException">MariaDB is not installed and may not be installed here, or the server failed to start.</exception>
    /// <exception cref="TimeoutException">The server did not accept connections within <see cref="LocalMariaDbOptions.StartupTimeout"/>.</exception>
    public static async Task<LocalMariaDb> StartAsync(LocalMariaDbOptions options, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            throw new ArgumentException("LocalMariaDbOptions.DataDirectory must be set.", nameof(options));
        }

        ValidateIdentifier(options.Database, nameof(options.Database));
        ValidateIdentifier(options.User, nameof(options.User));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options.Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort, nameof(options.Port));

        var dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
        var binaries = await LocateOrInstallAsync(options.InstallIfMissing, logger, ct);
        CreatePrivateDirectory(dataDirectory);

        // Two starts on one directory at once (two silos, or two test fixtures) would each see no server and
        // both run mariadb-install-db and mariadbd; or one would take the other's half-started server for stale.
        await using var startLock = await AcquireStartLockAsync(dataDirectory, options.StartupTimeout, ct);

        if (!Directory.Exists(Path.Combine(dataDirectory, "mysql")))
        {
            await InitialiseDataDirectoryAsync(binaries.InstallDb, dataDirectory, logger, ct);
        }

        var password = string.IsNullOrEmpty(options.Password) ? LoadOrCreatePassword(dataDirectory) : options.Password;

        var shared = await TryShareRunningServerAsync(binaries.Server, dataDirectory, options, password, logger, ct);
        if (shared is not null)
        {
            return shared;
        }

        var socketPath = ChooseSocketPath(dataDirectory);
        // A fixed port that is taken is the caller's problem; a picked port can be stolen between the probe and
        // the server's bind, so that case is retried with a fresh port.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port != 0 ? options.Port : PickFreePort();
            var retryIfPortTaken = options.Port == 0 && attempt < attempts;
            var server = await StartServerAsync(binaries.Server, dataDirectory, socketPath, port, retryIfPortTaken, options, password, logger, ct);
            if (server is not null)
            {
                return server;
            }

            logger.LogInformation("Port {Port} was taken before MariaDB could bind it; retrying with another port", port);
        }
    }

    /// <summary>
    /// Creates database <paramref name="name"/> if missing and grants the application user all rights on it.
    /// Tests use this to give each test class a database of its own.
    /// </summary>
    /// <param name="name">Database name: letters, digits and underscores, at most 64 characters.</param>
    /// <param name="ct">Cancels the operation.</param>
    /// <returns>A connection string like <see cref="ConnectionString"/> but for the new database.</returns>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct)
    {
        ValidateIdentifier(name, nameof(name));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        await using (var connection = new MySqlConnection(RootConnectionString))
        {
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, $"CREATE DATABASE IF NOT EXISTS `{name}`", ct);
            await ExecuteAsync(connection, $"GRANT ALL PRIVILEGES ON `{name}`.* TO '{_user}'@'127.0.0.1'", ct);
        }

        return Issue(new MySqlConnectionStringBuilder(_applicationConnection.ConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>
    /// Stops the server when this instance owns it: SIGTERM, then a kill if it has not exited within
    /// <see cref="LocalMariaDbOptions.ShutdownTimeout"/>. A shared server is left running.
    /// </summary>
    /// <returns>A task that completes when the server has exited (or immediately when not owned).</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_process is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            // No restart of the server we are about to stop; a restart under way finishes or gives up first.
            await StopSupervisingAsync();
            // If our server was replaced as stale, the state file now describes the replacement's.
            if (ReadState(_dataDirectory)?.ServerPid == _serverPid)
            {
                TryDelete(Path.Combine(_dataDirectory, StateFileName));
            }

            await StopAsync(_process, _shutdownTimeout, _logger);
            _process.Dispose();
            if (_privateSocketDirectory is not null)
            {
                TryDeleteDirectory(_privateSocketDirectory);
            }
        }

        await ClearPoolsAsync();
    }

    /// <summary>Idle pooled connections to a stopped (or replaced) server would only fail on first use.</summary>
    private async Task ClearPoolsAsync()
    {
        foreach (var connectionString in _issuedConnectionStrings.Keys)
        {
            await using var connection = new MySqlConnection(connectionString);
            try
            {
                await MySqlConnection.ClearPoolAsync(connection);
            }
            catch (MySqlException ex)
            {
                _logger.LogDebug(ex, "Could not clear the connection pool of a stopped MariaDB");
            }
        }
    }

    private static async Task<LocalMariaDb?> StartServerAsync(
        string serverPath,
        string dataDirectory,
        string socketPath,
        int port,
        bool retryIfPortTaken,
        LocalMariaDbOptions options,
        string password,
        ILogger logger,
        CancellationToken ct)
    {
        var (process, errorLog, errorLogStart, recentOutput) = Launch(serverPath, dataDirectory, socketPath, port, options, logger);
        try
        {
            var server = new LocalMariaDb(process, process.Id, dataDirectory, socketPath, port, options, password, logger);
            bool ready;
            try
            {
                ready = await WaitUntilReadyAsync(server.RootConnectionString, process, options.StartupTimeout, ct);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException(
                    $"MariaDB did not accept connections within {options.StartupTimeout.TotalSeconds:0} s. Tail of {errorLog}:\n{ReadTail(errorLog, errorLogStart)}", ex);
            }

            if (!ready)
            {
                var log = ReadTail(errorLog, errorLogStart);
                if (retryIfPortTaken && log.Contains("Bind on TCP/IP port", StringComparison.Ordinal))
                {
                    process.Dispose();
                    return null;
                }

                throw new InvalidOperationException(
                    $"MariaDB exited with code {process.ExitCode} during start-up. Tail of {errorLog}:\n{log}\n{string.Join('\n', recentOutput)}".TrimEnd());
            }

            await server.BootstrapAsync(options.Database, password, ct);
            WriteState(dataDirectory, new ServerState(process.Id, Environment.ProcessId, CurrentProcessStart(), port, socketPath));
            AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
            logger.LogInformation("MariaDB {Pid} ready on 127.0.0.1:{Port}", process.Id, port);
            server.StartSupervising(serverPath);
            return server;
        }
        catch
        {
            // Never leave a half-started server behind: it would hold the data directory.
            await StopAsync(process, options.ShutdownTimeout, logger);
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts mariadbd on <paramref name="dataDirectory"/> and <paramref name="port"/>, in a session (and so a process
    /// group) of its own: a signal meant for our group — a terminal's Ctrl-C, <c>kill -- -PGID</c> — must not stop the
    /// database while the silo still needs it to shut down. The caller stops it, after the silo.
    /// </summary>
    private static (Process Process, string ErrorLog, long ErrorLogStart, ConcurrentQueue<string> RecentOutput) Launch(
        string serverPath, string dataDirectory, string socketPath, int port, LocalMariaDbOptions options, ILogger logger)
    {
        var errorLog = Path.Combine(dataDirectory, ErrorLogFileName);
        // The log is appended to across runs; diagnostics should show only this run's lines.
        var errorLogStart = File.Exists(errorLog) ? new FileInfo(errorLog).Length : 0;

        // setsid (util-linux, essential on Debian) calls setsid() and execs mariadbd in place: the pid stays the one we
        // started, so stopping, the pid file and the state file all name the same process. It only forks when its
        // caller leads a process group, which a freshly started child never does.
        var setsid = OperatingSystem.IsWindows() ? null : FindExecutable("setsid");
        if (setsid is null && !OperatingSystem.IsWindows())
        {
            logger.LogWarning("No setsid found: MariaDB shares this process's group, so a signal to the whole group stops it too");
        }

        var startInfo = new ProcessStartInfo(setsid ?? serverPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        if (setsid is not null)
        {
            startInfo.ArgumentList.Add(serverPath);
        }

        // --no-defaults must come first: nothing from /etc/mysql may leak into a private server.
        startInfo.ArgumentList.Add("--no-defaults");
        startInfo.ArgumentList.Add($"--datadir={dataDirectory}");
        startInfo.ArgumentList.Add($"--socket={socketPath}");
        startInfo.ArgumentList.Add($"--port={port}");
        startInfo.ArgumentList.Add("--bind-address=127.0.0.1");
        startInfo.ArgumentList.Add("--skip-name-resolve");
        startInfo.ArgumentList.Add($"--pid-file={Path.Combine(dataDirectory, PidFileName)}");
        startInfo.ArgumentList.Add($"--log-error={errorLog}");
        startInfo.ArgumentList.Add($"--innodb-buffer-pool-size={options.BufferPoolMegabytes}M");
        // MariaDB resizes the redo log at start when this differs from the file's size, so a change applies on restart.
        startInfo.ArgumentList.Add($"--innodb-log-file-size={options.RedoLogMegabytes}M");
        startInfo.ArgumentList.Add("--max-connections=500");
        // MEDIUMBLOB grain state (migration 0005) can reach 16 MiB, which the 16 MiB default packet cannot carry.
        startInfo.ArgumentList.Add("--max-allowed-packet=64M");
        // What Debian's packaged server uses, and what the Orleans scripts were checked against; the compiled-in
        // default would be latin1.
        startInfo.ArgumentList.Add("--character-set-server=utf8mb4");
        startInfo.ArgumentList.Add("--collation-server=utf8mb4_general_ci");
        // innodb_flush_log_at_trx_commit stays at its default of 1: a commit must survive a crash.
        if (Environment.IsPrivilegedProcess)
        {
            // mariadbd refuses to run as root unless told to.
            startInfo.ArgumentList.Add("--user=root");
        }

        if (!socketPath.StartsWith(dataDirectory + "/", StringComparison.Ordinal))
        {
            // Private directory so that other local users cannot reach the passwordless root account.
            CreatePrivateDirectory(Path.GetDirectoryName(socketPath)!);
        }

        var recentOutput = new ConcurrentQueue<string>();
        void Capture(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            recentOutput.Enqueue(e.Data);
            while (recentOutput.Count > MaxRecentOutputLines && recentOutput.TryDequeue(out _))
            {
            }
        }

        logger.LogInformation("Starting MariaDB on 127.0.0.1:{Port} with data directory {DataDirectory}", port, dataDirectory);
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += Capture;
        process.ErrorDataReceived += Capture;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, errorLog, errorLogStart, recentOutput);
    }

    /// <summary>
    /// Joins a server that a live owner runs on this data directory; takes over one whose owner is gone (a silo killed
    /// with SIGKILL leaves its server running), or stops it when it cannot.
    /// </summary>
    private static async Task<LocalMariaDb?> TryShareRunningServerAsync(
        string serverPath, string dataDirectory, LocalMariaDbOptions options, string password, ILogger logger, CancellationToken ct)
    {
        var serverPid = ReadRunningServerPid(dataDirectory);
        if (serverPid is null)
        {
            return null;
        }

        var state = ReadState(dataDirectory);
        if (state is not null && state.ServerPid == serverPid && IsAlive(state.OwnerPid, state.OwnerStartUtc))
        {
            if (options.Port != 0 && options.Port != state.Port)
            {
                throw new InvalidOperationException(
                    $"Data directory {dataDirectory} is in use by MariaDB {serverPid} on port {state.Port}, owned by live process {state.OwnerPid}; port {options.Port} was requested.");
            }

            var shared = new LocalMariaDb(null, serverPid.Value, dataDirectory, state.SocketPath, state.Port, options, password, logger);
            await WaitUntilReadyAsync(shared.RootConnectionString, null, options.StartupTimeout, ct);

            await shared.BootstrapAsync(options.Database, password, ct);
            logger.LogInformation(
                "Sharing MariaDB {Pid} on port {Port}, started by process {Owner} on the same data directory", serverPid, state.Port, state.OwnerPid);
            return shared;
        }

        if (state is not null && state.ServerPid == serverPid && (options.Port == 0 || options.Port == state.Port)
            && await TryAdoptAsync(serverPath, serverPid.Value, state, dataDirectory, options, password, logger, ct) is { } adopted)
        {
            return adopted;
        }

        logger.LogWarning("Stopping MariaDB {Pid} left running on {DataDirectory} by a process that is gone", serverPid, dataDirectory);
        using var stale = Process.GetProcessById(serverPid.Value);
        await StopAsync(stale, options.ShutdownTimeout, logger);
        return null;
    }

    /// <summary>
    /// Makes a server whose owner is gone this process's own, as if it had started it: it answers, so stopping it (a
    /// shutdown that flushes every dirty page) and starting another (a recovery) would only delay the silo's restart —
    /// by many seconds with a large queue. Null when it does not answer in a moment; the caller stops it then.
    /// </summary>
    private static async Task<LocalMariaDb?> TryAdoptAsync(
        string serverPath, int serverPid, ServerState state, string dataDirectory, LocalMariaDbOptions options, string password, ILogger logger, CancellationToken ct)
    {
        var process = Process.GetProcessById(serverPid);
        var adopted = new LocalMariaDb(process, serverPid, dataDirectory, state.SocketPath, state.Port, options, password, logger);
        try
        {
            if (!await WaitUntilReadyAsync(adopted.RootConnectionString, process, AdoptTimeout, ct))
            {
                process.Dispose();
                return null;
            }

            await adopted.BootstrapAsync(options.Database, password, ct);
        }
        catch (Exception ex) when (ex is TimeoutException or MySqlException or SocketException or IOException)
        {
            logger.LogWarning(ex, "MariaDB {Pid}, left running on {DataDirectory} by a process that is gone, does not answer", serverPid, dataDirectory);
            process.Dispose();
            return null;
        }

        WriteState(dataDirectory, state with { OwnerPid = Environment.ProcessId, OwnerStartUtc = CurrentProcessStart() });
        AppDomain.CurrentDomain.ProcessExit += adopted.OnProcessExit;
        logger.LogInformation("Took over MariaDB {Pid} on 127.0.0.1:{Port}, left running on {DataDirectory} by a process that is gone", serverPid, state.Port, dataDirectory);
        adopted.StartSupervising(serverPath);
        return adopted;
    }

    /// <summary>How long a server left by a gone owner gets to answer before it is stopped instead of taken over.</summary>
    private static readonly TimeSpan AdoptTimeout = TimeSpan.FromSeconds(5);

    /// <returns>True once a connection succeeds; false if <paramref name="process"/> exits first.</returns>
    private static async Task<bool> WaitUntilReadyAsync(string rootConnectionString, Process? process, TimeSpan timeout, CancellationToken ct)
    {
        var probe = new MySqlConnectionStringBuilder(rootConnectionString) { ConnectionTimeout = 2 }.ConnectionString;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process is not null && process.HasExited)
            {
                return false;
            }

            try
            {
                await using var connection = new MySqlConnection(probe);
                await connection.OpenAsync(ct);
                return true;
            }
            catch (Exception ex) when (ex is MySqlException or SocketException or IOException)
            {
                if (deadline.Elapsed >= timeout)
                {
                    throw new TimeoutException($"No connection within {timeout.TotalSeconds:0} s: {ex.Message}", ex);
                }
            }

            await Task.Delay(PollInterval, ct);
        }
    }

    private async Task BootstrapAsync(string database, string password, CancellationToken ct)
    {
        await using var connection = new MySqlConnection(RootConnectionString);
        await connection.OpenAsync(ct);

        // mariadb-install-db creates passwordless root accounts for 127.0.0.1, ::1 and the host name too,
        // reachable by any local user over TCP. Root is only needed over the (private) socket.
        var tcpRootHosts = new List<string>();
        await using (var command = new MySqlCommand("SELECT Host FROM mysql.user WHERE User = 'root' AND Host <> 'localhost'", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                tcpRootHosts.Add(reader.GetString(0));
            }
        }

        foreach (var host in tcpRootHosts)
        {
            await ExecuteAsync(connection, $"DROP USER IF EXISTS 'root'@'{host.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}'", ct);
        }

        await ExecuteAsync(connection, $"CREATE DATABASE IF NOT EXISTS `{database}`", ct);
        await ExecuteAsync(connection, $"CREATE USER IF NOT EXISTS '{_user}'@'127.0.0.1' IDENTIFIED BY @password", ct, ("@password", password));
        // A password given in the options wins over whatever the account was created with earlier.
        await ExecuteAsync(connection, $"ALTER USER '{_user}'@'127.0.0.1' IDENTIFIED BY @password", ct, ("@password", password));
        await ExecuteAsync(connection, $"GRANT ALL PRIVILEGES ON `{database}`.* TO '{_user}'@'127.0.0.1'", ct);
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task StopAsync(Process process, TimeSpan timeout, ILogger logger)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            SendTerminate(process);
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                logger.LogWarning("MariaDB {Pid} did not stop within {Seconds} s of SIGTERM; killing it", process.Id, timeout.TotalSeconds);
            }

            process.Kill();
            using var killWait = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(killWait.Token);
        }
        catch (InvalidOperationException)
        {
            // The process exited (or was never ours to see) between the checks.
        }
        catch (OperationCanceledException)
        {
            logger.LogError("MariaDB {Pid} survived SIGKILL for {Seconds} s", process.Id, timeout.TotalSeconds);
        }
    }

    private static void SendTerminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill();
            return;
        }

        // SIGTERM makes mariadbd flush and close cleanly; Process.Kill would send SIGKILL.
        if (SysKill(process.Id, Sigterm) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            const int noSuchProcess = 3;
            if (error != noSuchProcess)
            {
                throw new Win32Exception(error);
            }
        }

        // A stopped server (SIGSTOP, a debugger) would hold the SIGTERM until someone continued it.
        _ = SysKill(process.Id, Sigcont);
    }

    // Only a signal: the process is going away and cannot wait 20 s, but mariadbd shuts down cleanly on its own.
    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Volatile.Read(ref _process) is { } process && Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                SendTerminate(process);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
            {
            }
        }
    }

    // DllImport rather than LibraryImport: the latter needs AllowUnsafeBlocks, and int arguments need no marshalling.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054
    private static extern int SysKill(int pid, int signal);
#pragma warning restore SYSLIB1054

    private static async Task<(string Server, string InstallDb)> LocateOrInstallAsync(bool installIfMissing, ILogger logger, CancellationToken ct)
    {
        var found = Locate();
        if (found is not null)
        {
            return found.Value;
        }

        if (!installIfMissing)
        {
            throw new InvalidOperationException(
                $"MariaDB is not installed (no mariadbd and mariadb-install-db on PATH or in /usr/sbin, /usr/bin). Install it with: sudo sh -c '{InstallCommand}' (or run as root with InstallIfMissing enabled).");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                $"MariaDB is not installed and this process is not root, so it cannot install it. Run: sudo sh -c '{InstallCommand}'");
        }

        var aptGet = FindExecutable("apt-get")
            ?? throw new InvalidOperationException(
                "MariaDB is not installed and there is no apt-get here. Install the MariaDB server (10.11 or later) with this system's package manager, so that mariadbd and mariadb-install-db are on PATH.");

        logger.LogInformation("MariaDB is not installed; installing it with apt-get");
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        await RunToCompletionAsync(aptGet, ["update"], environment, ct);
        await RunToCompletionAsync(aptGet, ["install", "-y", "mariadb-server"], environment, ct);

        return Locate() ?? throw new InvalidOperationException(
            "apt-get installed mariadb-server, but mariadbd and mariadb-install-db are still not found on PATH or in /usr/sbin, /usr/bin.");
    }

    private static (string Server, string InstallDb)? Locate()
    {
        var server = FindExecutable("mariadbd");
        var installDb = FindExecutable("mariadb-install-db");
        return server is not null && installDb is not null ? (server, installDb) : null;
    }

    private static string? FindExecutable(string name)
    {
        // /usr/sbin is often missing from PATH for non-root users, and that is where Debian puts mariadbd.
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]);
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    private static async Task InitialiseDataDirectoryAsync(string installDbPath, string dataDirectory, ILogger logger, CancellationToken ct)
    {
        // An interrupted mariadb-install-db leaves a mysql folder beside a corrupt ibdata1, which would pass for an
        // initialised directory forever after. So it runs in a scratch folder, and the result is moved in with the
        // mysql folder last: its presence then means a complete initialisation. The scratch folder sits inside the
        // data directory because only that is sure to be writable and on the same file system (a mounted volume).
        var scratch = Path.Combine(dataDirectory, ".compassci-initialising");
        TryDeleteDirectory(scratch);
        logger.LogInformation("Initialising MariaDB data directory {DataDirectory}", dataDirectory);
        await RunToCompletionAsync(
            installDbPath,
            [
                "--no-defaults",
                $"--datadir={scratch}",
                // Root gets a plain (empty) password rather than unix_socket auth, which would tie it to the OS user "root".
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            null,
            ct);

        var entries = Directory.EnumerateFileSystemEntries(scratch)
            .OrderBy(e => Path.GetFileName(e) == "mysql")
            .ToList();
        foreach (var source in entries)
        {
            var target = Path.Combine(dataDirectory, Path.GetFileName(source));
            // Leftovers of an earlier interrupted move; without a mysql folder nothing here holds data yet.
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            if (Directory.Exists(source))
            {
                Directory.Move(source, target);
            }
            else
            {
                File.Move(source, target, overwrite: true);
            }
        }

        Directory.Delete(scratch);
    }

    private static async Task RunToCompletionAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        try
        {
            // Both streams are drained concurrently, or a full pipe would block the child.
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var output = await stdout + await stderr;
            if (process.ExitCode != 0)
            {
                var tail = string.Join('\n', output.Split('\n').TakeLast(30));
                throw new InvalidOperationException(
                    $"{fileName} {string.Join(' ', startInfo.ArgumentList)} failed with exit code {process.ExitCode}:\n{tail}");
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private static string LoadOrCreatePassword(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, PasswordFileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        // Called under the start lock, so no other process writes this file at the same time.
        var password = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, fileOptions))
        {
            stream.Write(Encoding.UTF8.GetBytes(password));
        }

        return password;
    }

    private static string ChooseSocketPath(string dataDirectory)
    {
        var inDataDirectory = Path.Combine(dataDirectory, "mysqld.sock");
        if (Encoding.UTF8.GetByteCount(inDataDirectory) <= MaxSocketPathBytes)
        {
            return inDataDirectory;
        }

        // Derived from the data directory, so a restart on the same directory lands on the same path.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16];
        return $"/tmp/compassci-mariadb-{hash}/mysqld.sock";
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static async Task<FileStream> AcquireStartLockAsync(string dataDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var path = Path.Combine(dataDirectory, "compassci-start.lock");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix, released when the stream closes,
                // also when the process dies.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(PollInterval, ct);
            }
        }
    }

    private static int PickFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The pid in the data directory's pid file, if that process is a live mariadbd on this directory.</summary>
    private static int? ReadRunningServerPid(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, PidFileName);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return null;
            }

            // A crashed server leaves its pid file behind, and the pid may since have gone to another program.
            var commandLine = $"/proc/{pid}/cmdline";
            if (File.Exists(commandLine))
            {
                var arguments = File.ReadAllText(commandLine).Split('\0');
                return arguments.Contains($"--datadir={dataDirectory}", StringComparer.Ordinal) ? pid : null;
            }

            return process.ProcessName is "mariadbd" or "mysqld" ? pid : null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid, DateTime startUtc)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            // The start time tells a live owner from an unrelated process that got the same pid later.
            return !process.HasExited && (process.StartTime.ToUniversalTime() - startUtc).Duration() < TimeSpan.FromSeconds(2);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            return false;
        }
    }

    private static DateTime CurrentProcessStart()
    {
        using var current = Process.GetCurrentProcess();
        return current.StartTime.ToUniversalTime();
    }

    private static ServerState? ReadState(string dataDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize<ServerState>(File.ReadAllText(Path.Combine(dataDirectory, StateFileName)));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WriteState(string dataDirectory, ServerState state)
    {
        var path = Path.Combine(dataDirectory, StateFileName);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state));
        File.Move(temporary, path, overwrite: true);
    }

    private static string ReadTail(string path, long from)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', lines.TakeLast(30));
        }
        catch (IOException)
        {
            return "(no error log)";
        }
    }

    private static void ValidateIdentifier(string value, string name)
    {
        // Names are spliced into SQL as identifiers and account names; keeping them plain makes that safe.
        if (!IdentifierPattern().IsMatch(value ?? ""))
        {
            throw new ArgumentException($"{name} must be 1-64 letters, digits or underscores; got '{value}'.", name);
        }
    }

    private string Issue(string connectionString)
    {
        _issuedConnectionStrings.TryAdd(connectionString, 0);
        return connectionString;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex IdentifierPattern();

    /// <summary>What a sharing process needs to find a running server, and who is responsible for stopping it.</summary>
    private sealed record ServerState(int ServerPid, int OwnerPid, DateTime OwnerStartUtc, int Port, string SocketPath);
}
