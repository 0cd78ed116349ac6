using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using CompassCi.Silo.Hosting;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>
/// A real silo process (the same executable operators run) on its own HTTP port, joined to the cluster
/// named by its cluster id through the membership table in the given database.
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _logPath;

    private SiloProcess(Process process, Uri baseAddress, string logPath)
    {
        _process = process;
        BaseAddress = baseAddress;
        _logPath = logPath;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a silo and waits until /readyz answers 200.</summary>
    public static Task<SiloProcess> StartAsync(string connectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null) =>
        StartReadyAsync(() => Launch(connectionString, clusterId, settings));

    /// <summary>
    /// Starts a silo as the README's run command does: no connection string, so it runs its own private MariaDB in
    /// <paramref name="dataDirectory"/>/mariadb. With <paramref name="ownProcessGroup"/> it is started through setsid,
    /// leading a process group of its own, as a shell's job or a systemd unit would (see <see cref="SignalProcessGroup"/>).
    /// </summary>
    public static async Task<SiloProcess> StartWithPrivateDatabaseAsync(
        string dataDirectory, string clusterId, bool ownProcessGroup = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["CompassCi__DataDirectory"] = dataDirectory,
            ["CompassCi__InstallDatabase"] = "false",
            // A test's server, like the fixtures' own: MariaDB's 96 MiB redo log rather than the silo's 1 GiB of disk.
            ["CompassCi__DatabaseRedoLogMegabytes"] = "96",
        };
        return await StartReadyAsync(() => Launch("", clusterId, all, ownProcessGroup));
    }

    /// <summary>
    /// Launches until a silo is ready. The HTTP port is picked free and then bound by the silo; between the two, another
    /// process on this busy machine (a test's MariaDB, another silo) may take it, and the silo exits at once: pick again.
    /// </summary>
    private static async Task<SiloProcess> StartReadyAsync(Func<SiloProcess> launch)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var silo = launch();
            try
            {
                await silo.WaitReadyAsync();
                return silo;
            }
            catch (InvalidOperationException error) when (attempt < attempts && silo.HasExited && error.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> to this silo's whole process group (<c>kill -SIG -- -PGID</c>); it must lead one.</summary>
    public void SignalProcessGroup(int signal)
    {
        if (SendSignal(-_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill(-{_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the silo process alone.</summary>
    public void Signal(int signal) => _ = SendSignal(_process.Id, signal);

    /// <summary>Starts a silo without waiting for it (for a silo expected to refuse to start).</summary>
    public static SiloProcess Launch(string connectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null) =>
        Launch(connectionString, clusterId, settings, ownProcessGroup: false);

    private static SiloProcess Launch(string connectionString, string clusterId, IReadOnlyDictionary<string, string>? settings, bool ownProcessGroup)
    {
        var port = FreePort.Pick();
        var logPath = Path.Combine(Path.GetTempPath(), $"compassci-silo-{clusterId}-{port}.log");
        // setsid execs dotnet in place (a fresh child leads no group, so it need not fork): the pid stays the silo's.
        var info = new ProcessStartInfo(ownProcessGroup ? "setsid" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        if (ownProcessGroup)
        {
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(RepoPaths.SiloDll);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["CompassCi__ConnectionString"] = connectionString;
        info.Environment["CompassCi__ClusterId"] = clusterId;
        info.Environment["CompassCi__ServiceId"] = clusterId;
        info.Environment["CompassCi__SiloPort"] = "0";
        info.Environment["CompassCi__GatewayPort"] = "0";
        // Declare a killed silo dead within a few seconds rather than the production default.
        info.Environment["CompassCi__Membership__ProbeTimeout"] = "00:00:01";
        info.Environment["CompassCi__Membership__NumMissedProbesLimit"] = "2";
        info.Environment["CompassCi__Membership__NumVotesForDeathDeclaration"] = "1";
        info.Environment["CompassCi__Membership__IAmAliveTablePublishTimeout"] = "00:00:05";
        // Drains never confirm their jobs; keep leases from expiring under them unless a test asks for it.
        info.Environment["CompassCi__Lifecycle__LeaseSeconds"] = "3600";
        // No WebDAV listener on the fixed port 3080: many test silos run at once. A test that wants one sets it.
        info.Environment["CompassCi__Results__WebDavUrl"] = "";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__CompassCi"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the silo");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        return new SiloProcess(process, new Uri($"http://127.0.0.1:{port}"), logPath);
    }

    /// <summary>Waits for the process to end by itself; its exit code, or null when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>An HTTP client for this silo.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(3) };

    /// <summary>SIGKILL: the process dies at once, with no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait: a graceful stop.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>The silo's log so far, for failure messages.</summary>
    public string Log()
    {
        try
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{Log()}");
            }

            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"silo not ready after {StartTimeout}:\n{Log()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
