using System.Diagnostics;
using System.Globalization;
using CompassCi.Tests.Fixtures;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>
/// The real lkp-tests client, as a testbox runs it: <c>bash</c> with lkp's own shell libraries sourced from
/// <c>$LKP_TESTS</c> (<c>lib/env.sh</c>, <c>lib/http.sh</c>, then <c>lib/curl.sh</c> so that http calls are
/// <c>curl -sSf</c> — a 4xx or 5xx answer makes the function fail —, <c>lib/job.sh</c>, <c>lib/upload.sh</c>) and the
/// environment lkp needs to reach the scheduler (<c>LKP_SERVER</c>, <c>LKP_CGI_PORT</c>, <c>LKP_USER=lkp</c>, the job's
/// <c>id</c>, <c>job</c>, <c>HOSTNAME</c>, <c>RESULT_WEBDAV_PORT</c>, <c>JOB_RESULT_ROOT</c>, <c>TMP</c>, …). A script is
/// run with a timeout; its exit code, stdout and stderr come back. Skips the test (with the reason) when
/// <c>LKP_TESTS</c> is unset.
/// </summary>
public sealed class LkpShell
{
    private static readonly string[] Libraries = ["lib/env.sh", "lib/http.sh", "lib/curl.sh", "lib/job.sh", "lib/upload.sh"];

    private readonly Dictionary<string, string> _environment;

    /// <param name="scheduler">The scheduler's address (<c>LKP_SERVER</c>, <c>LKP_CGI_PORT</c>, <c>SCHED_HOST</c>, <c>SCHED_PORT</c>).</param>
    /// <param name="jobId">The job's <c>id</c>, as job.sh's export_top_env sets it.</param>
    /// <param name="testbox">The testbox's <c>HOSTNAME</c> (and <c>testbox</c>).</param>
    /// <param name="extra">More variables (<c>cluster</c>, <c>node_roles</c>, <c>JOB_RESULT_ROOT</c>, <c>RESULT_WEBDAV_PORT</c>, …), or overrides.</param>
    public LkpShell(Uri scheduler, string jobId, string testbox, IReadOnlyDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Tree = LkpFixtures.RealTree();
        Work = Directory.CreateTempSubdirectory("compassci-lkp-shell-").FullName;
        var port = scheduler.Port.ToString(CultureInfo.InvariantCulture);
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Work,
            ["LKP_SRC"] = Tree,
            ["LKP_SERVER"] = scheduler.Host,
            ["LKP_CGI_PORT"] = port,
            ["SCHED_HOST"] = scheduler.Host,
            ["SCHED_PORT"] = port,
            ["LKP_USER"] = "lkp",
            ["RESULT_WEBDAV_PORT"] = port,
            ["id"] = jobId,
            ["job"] = "/lkp/scheduled/job.yaml",
            ["HOSTNAME"] = testbox,
            ["testbox"] = testbox,
            ["PUB_MAC"] = "52-54-00-12-34-56",
            ["PUB_IP"] = "127.0.0.1",
            ["TMP"] = Work,
            ["RESULT_ROOT"] = Path.Combine(Work, "result"),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }
    }

    /// <summary>The lkp-tests tree (<c>$LKP_TESTS</c>).</summary>
    public string Tree { get; }

    /// <summary>A private directory for the script (its <c>TMP</c> and <c>HOME</c>); removed by <see cref="Delete"/>.</summary>
    public string Work { get; }

    /// <summary>Runs <paramref name="script"/> after sourcing lkp's libraries; killed (exit -1) after <paramref name="timeout"/> (default 60 s).</summary>
    public async Task<LkpShellResult> RunAsync(string script, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        var prologue = string.Concat(Libraries.Select(l => $". \"$LKP_SRC/{l}\" || exit 97\n"));
        var info = new ProcessStartInfo("bash", ["-c", prologue + script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Work,
        };
        info.Environment.Clear();
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new LkpShellResult(-1, await output, await error + $"\n(killed after {timeout ?? TimeSpan.FromSeconds(60)})");
        }

        return new LkpShellResult(process.ExitCode, await output, await error);
    }

    /// <summary>Removes <see cref="Work"/>.</summary>
    public void Delete()
    {
        if (Directory.Exists(Work))
        {
            Directory.Delete(Work, recursive: true);
        }
    }
}

/// <summary>What an <see cref="LkpShell"/> script did.</summary>
public sealed record LkpShellResult(int Exit, string Stdout, string Stderr)
{
    /// <summary>For assertion messages.</summary>
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
