using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CompassCi.Silo.Database;

/// <summary>
/// The owner of a private server restarts it when it dies (a crash, the OOM killer, a stray <c>kill -9</c>), on the
/// same port, so the connection strings already handed out stay valid and the silo recovers by itself.
/// </summary>
/// <remarks>
/// Back-off: 1 s before the first restart, doubling to at most 30 s. A server that then stays up for
/// <see cref="StableRun"/> had a one-off failure, and the count starts again. A server that keeps dying sooner
/// (a full disk, a corrupt table space, its port taken) is not restarted forever: after
/// <see cref="MaxConsecutiveRestarts"/> restarts in a row (about two minutes of trying) supervision gives up, logs
/// why, and cancels <see cref="ServerLost"/> so the process can stop and let its own supervisor or operator see.
/// </remarks>
public sealed partial class LocalMariaDb
{
    /// <summary>How long a restarted server must stay up before its restart no longer counts against the limit.</summary>
    public static readonly TimeSpan StableRun = TimeSpan.FromSeconds(60);

    /// <summary>Restarts in a row, each dying within <see cref="StableRun"/>, after which supervision gives up.</summary>
    public const int MaxConsecutiveRestarts = 8;

    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopSupervising = new();
    private readonly CancellationTokenSource _serverLost = new();
    private Task _supervisor = Task.CompletedTask;

    /// <summary>Raised after a restarted server accepts connections; pools other than ours may hold dead connections.</summary>
    public event EventHandler? Restarted;

    /// <summary>Cancelled when the owned server died and could not be restarted; never for a shared server.</summary>
    public CancellationToken ServerLost => _serverLost.Token;

    /// <summary>The delay before restart number <paramref name="restart"/> (1-based) of a run of failures.</summary>
    public static TimeSpan RestartDelay(int restart)
    {
        var doubled = FirstRestartDelay * Math.Pow(2, Math.Clamp(restart - 1, 0, 16));
        return doubled < MaxRestartDelay ? doubled : MaxRestartDelay;
    }

    private void StartSupervising(string serverPath) => _supervisor = Task.Run(() => SuperviseAsync(serverPath));

    private async Task StopSupervisingAsync()
    {
        await _stopSupervising.CancelAsync();
        await _supervisor;
    }

    private async Task SuperviseAsync(string serverPath)
    {
        var stop = _stopSupervising.Token;
        var restarts = 0;
        var upSince = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var process = _process!;
                await process.WaitForExitAsync(stop);
                var uptime = upSince.Elapsed;
                restarts = uptime >= StableRun ? 1 : restarts + 1;
                var errorLog = Path.Combine(_dataDirectory, ErrorLogFileName);
                if (restarts > MaxConsecutiveRestarts)
                {
                    _logger.LogCritical(
                        "MariaDB {Pid} exited with code {ExitCode} after {Uptime:0.0} s, the {Count}th failure in a row within {Stable} s of a start; giving up. Tail of {ErrorLog}:\n{Tail}",
                        process.Id, process.ExitCode, uptime.TotalSeconds, restarts, StableRun.TotalSeconds, errorLog, ReadTail(errorLog, 0));
                    await _serverLost.CancelAsync();
                    return;
                }

                var delay = RestartDelay(restarts);
                _logger.LogError(
                    "MariaDB {Pid} exited unexpectedly with code {ExitCode} after {Uptime:0.0} s; restarting it on port {Port} in {Delay:0.0} s (restart {Restart} of at most {Max} in a row)",
                    process.Id, process.ExitCode, uptime.TotalSeconds, Port, delay.TotalSeconds, restarts, MaxConsecutiveRestarts);
                await Task.Delay(delay, stop);
                try
                {
                    await RestartAsync(serverPath, stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The start lock stayed taken, the binary vanished…: the dead server stays current, so this counts
                    // as another failure on the next turn.
                    _logger.LogError(ex, "Could not restart MariaDB on {DataDirectory}", _dataDirectory);
                }

                upSince.Restart();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: DisposeAsync stops whichever server runs now.
        }
    }

    /// <summary>Starts a new server on the same directory, port and socket; a failure to start counts as another death.</summary>
    private async Task RestartAsync(string serverPath, CancellationToken stop)
    {
        // The start lock keeps another process from taking the dead server's directory for free meanwhile.
        await using var startLock = await AcquireStartLockAsync(_dataDirectory, _options.StartupTimeout, stop);
        var (process, errorLog, errorLogStart, _) = Launch(serverPath, _dataDirectory, SocketPath, Port, _options, _logger);
        var previous = Interlocked.Exchange(ref _process, process);
        previous?.Dispose();
        _serverPid = process.Id;
        try
        {
            if (!await WaitUntilReadyAsync(RootConnectionString, process, _options.StartupTimeout, stop))
            {
                _logger.LogError("Restarted MariaDB {Pid} exited during start-up. Tail of {ErrorLog}:\n{Tail}", process.Id, errorLog, ReadTail(errorLog, errorLogStart));
                return;
            }
        }
        catch (TimeoutException ex)
        {
            // Hung in start-up: stop it, and the supervisor counts that as another death.
            _logger.LogError(ex, "Restarted MariaDB {Pid} did not accept connections in time; stopping it", process.Id);
            await StopAsync(process, _shutdownTimeout, _logger);
            return;
        }

        WriteState(_dataDirectory, new ServerState(process.Id, Environment.ProcessId, CurrentProcessStart(), Port, SocketPath));
        _logger.LogWarning("MariaDB restarted as {Pid} on 127.0.0.1:{Port}", process.Id, Port);
        await ClearPoolsAsync();
        Restarted?.Invoke(this, EventArgs.Empty);
    }
}
