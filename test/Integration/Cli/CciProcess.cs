using System.Diagnostics;
using System.Text;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Cli;

/// <summary>
/// <c>cci</c> as a user runs it: a real process (<c>dotnet cci.dll …</c>, built beside the tests), with HOME set to an
/// empty temporary folder and none of the settings it reads from the environment (CCI_*, LKP_SERVER, SCHED_*) inherited,
/// so each test says where the server is. Its output is collected line by line while it runs.
/// </summary>
public sealed class CciProcess : IAsyncDisposable
{
    private static readonly string[] InheritedSettings = ["CCI_SERVER", "CCI_TOKEN", "CCI_ACCOUNT", "LKP_SERVER", "LKP_CGI_PORT", "SCHED_HOST", "SCHED_PORT"];

    private readonly Process _process;
    private readonly List<string> _out = [];
    private readonly StringBuilder _err = new();
    private readonly TaskCompletionSource _outClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CciProcess(Process process) => _process = process;

    /// <summary>The built cci, in the tests' configuration.</summary>
    public static string Dll => Built(Path.Combine("src", "Cli"), "cci.dll");

    /// <summary>A console app of the repository as built beside the tests, in their configuration.</summary>
    public static string Built(string projectFolder, string dll)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var path = Path.Combine(RepoPaths.Root, projectFolder, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build it first: {path} is missing");
    }

    /// <summary>Starts <c>cci <paramref name="args"/></c> with HOME <paramref name="home"/> and the extra environment given.</summary>
    public static CciProcess Start(string home, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartDll(Dll, home, environment, args);

    /// <summary>Starts another console app of the repository (<paramref name="dll"/>) the same way, e.g. the sample CI bot.</summary>
    public static CciProcess StartDll(string dll, string home, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in InheritedSettings)
        {
            info.Environment.Remove(name);
        }

        info.Environment["HOME"] = home;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var cci = new CciProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                cci._outClosed.TrySetResult();
                return;
            }

            lock (cci._out)
            {
                cci._out.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                cci._errClosed.TrySetResult();
                return;
            }

            lock (cci._err)
            {
                cci._err.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cci;
    }

    /// <summary>Runs cci to its end (at most <paramref name="timeout"/>, default 60 s); its exit code and output.</summary>
    public static async Task<CciResult> RunAsync(string home, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await using var cci = Start(home, environment, args);
        return await cci.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The lines written to stdout so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_out)
            {
                return [.. _out];
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for cci to end by itself; fails the test (after killing it) when it does not within <paramref name="timeout"/>.</summary>
    public async Task<CciResult> WaitAsync(TimeSpan timeout)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            await Task.WhenAll(_outClosed.Task, _errClosed.Task).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"cci did not end within {timeout}; its output:\n{string.Join('\n', Output)}\nstderr:\n{Error}");
        }

        return new CciResult(_process.ExitCode, string.Join('\n', Output), Error);
    }

    private string Error
    {
        get
        {
            lock (_err)
            {
                return _err.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>How a cci run ended: its exit code, stdout and stderr.</summary>
public sealed record CciResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}
