using System.Diagnostics;
using System.Text;

namespace CompassCi.Tests.Unit.Compat.JobInitrd;

/// <summary>The system's tools on job.cgz, as a testbox runs them: <c>gzip -dc | cpio -idm</c>, and bash.</summary>
internal static class Unpack
{
    /// <summary>A new empty directory under the temp directory.</summary>
    public static string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cci-cgz-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Unpacks <paramref name="cgz"/> into <paramref name="dir"/> with <c>gzip -dc | cpio -idm</c>.</summary>
    public static async Task CgzAsync(byte[] cgz, string dir)
    {
        Fixtures.SystemTools.Require("cpio");
        var (exit, _, error) = await RunAsync("sh", ["-c", "gzip -dc | cpio -idm --quiet"], dir, cgz);
        Assert.True(exit == 0, $"gzip -dc | cpio -idm failed ({exit}): {error}");
    }

    /// <summary>Every path in <paramref name="dir"/>, relative, sorted.</summary>
    public static List<string> Paths(string dir) =>
        [.. Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(dir, p)).Order(StringComparer.Ordinal)];

    /// <summary>Runs <paramref name="script"/> with <c>bash -c</c> in <paramref name="dir"/>.</summary>
    public static Task<(int Exit, string Output, string Error)> BashAsync(string script, string dir) => ShellAsync("bash", script, dir);

    /// <summary>Runs <paramref name="script"/> with <c><paramref name="shell"/> -c</c> in <paramref name="dir"/>.</summary>
    public static Task<(int Exit, string Output, string Error)> ShellAsync(string shell, string script, string dir) =>
        RunAsync(shell, ["-c", script], dir, []);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string file, string[] arguments, string dir, byte[] input)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var cancel = TestContext.Current.CancellationToken;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var error = process.StandardError.ReadToEndAsync(cancel);
        await process.StandardInput.BaseStream.WriteAsync(input, cancel);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancel);
        return (process.ExitCode, await output, await error);
    }
}
