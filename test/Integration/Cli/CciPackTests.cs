using System.Diagnostics;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Cli;

/// <summary>The packed cci installs as a .NET tool from its nupkg (<c>dotnet tool install --add-source</c>) and runs.</summary>
public sealed class CciPackTests
{
    [Fact]
    public async Task ThePackedToolInstallsIntoAToolPathAndShowsItsHelp()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var packages = Directory.CreateTempSubdirectory("cci-pack-");
        var tools = Directory.CreateTempSubdirectory("cci-tool-");
        try
        {
            // --no-build: the tests' own build made cci (a project reference); packing it again must not rebuild under them.
            await RunAsync("dotnet", "pack", Path.Combine(RepoPaths.Root, "src", "Cli"), "-c", configuration, "--no-build", "-o", packages.FullName);
            var package = Assert.Single(packages.GetFiles("CompassCi.Cli.*.nupkg"));
            var version = package.Name["CompassCi.Cli.".Length..^".nupkg".Length];

            await RunAsync("dotnet", "tool", "install", "CompassCi.Cli", "--tool-path", tools.FullName, "--add-source", packages.FullName, "--version", version);
            var help = await RunAsync(Path.Combine(tools.FullName, "cci"), "--help");

            foreach (var command in new[] { "submit", "job", "jobs", "queues", "why", "cancel", "renew", "watch", "testboxes", "hosts", "host", "cluster", "fairshare" })
            {
                Assert.Contains($"\n  {command} ", help);
            }

            Assert.Contains("Examples:", help);
        }
        finally
        {
            packages.Delete(recursive: true);
            tools.Delete(recursive: true);
        }
    }

    /// <summary>Runs a program to its end (at most 3 minutes); its stdout; fails the test unless it exits 0.</summary>
    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }
}
