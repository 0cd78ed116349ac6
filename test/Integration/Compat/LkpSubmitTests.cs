using System.Diagnostics;
using System.Text.RegularExpressions;
using CompassCi.Tests.Fixtures;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>
/// lkp-tests' own Ruby <c>sbin/submit</c>, unchanged, against <c>/submit_job</c>: it expands <c>jobs/hackbench.yaml</c>
/// into 8 jobs on the client and posts each (with <c>job2sh</c>, <c>memory: "8G"</c> from <c>hosts/vm-2p8g</c>, and its
/// own tree packed into <c>pkg_data</c>). Needs <c>LKP_TESTS</c> and Debian's <c>ruby ruby-rest-client
/// ruby-activesupport ruby-git uuid-runtime</c>; skipped, saying which is missing, without them.
/// </summary>
public sealed partial class LkpSubmitTests(CompatSiloFixture fixture) : IClassFixture<CompatSiloFixture>
{
    [Fact]
    public async Task Lkp_tests_submit_sends_hackbench_as_8_jobs_each_readable_with_its_pp()
    {
        var lkp = LkpFixtures.RealTree();
        foreach (var tool in new[] { "ruby", "git", "uuidgen" })
        {
            if (!OnPath(tool))
            {
                Assert.Skip($"needs {tool} (apt-get install ruby ruby-rest-client ruby-activesupport ruby-git uuid-runtime)");
            }
        }

        var work = Directory.CreateTempSubdirectory("cci-lkp-submit-");
        try
        {
            // sbin/submit packs the changes since the checkout's tag, so LKP_SRC is a git checkout (a copy) with a tag and one change.
            var src = Path.Combine(work.FullName, "lkp-tests");
            await RunAsync("cp", ["-a", lkp, src], work.FullName);
            if (Directory.Exists(Path.Combine(src, ".git")))
            {
                Directory.Delete(Path.Combine(src, ".git"), recursive: true);
            }

            string[] identity = ["-c", "user.name=cci-test", "-c", "user.email=cci-test@example.org"];
            await RunAsync("git", ["init", "-q"], src);
            await RunAsync("git", ["add", "-A"], src);
            await RunAsync("git", [.. identity, "commit", "-q", "-m", "lkp-tests as given"], src);
            await RunAsync("git", [.. identity, "tag", "v3.0"], src);
            await File.WriteAllTextAsync(Path.Combine(src, "local-change.txt"), "one local change\n", TestContext.Current.CancellationToken);

            var home = Path.Combine(work.FullName, "home");
            var defaults = Path.Combine(home, ".config", "compass-ci", "defaults");
            Directory.CreateDirectory(defaults);
            var port = fixture.Http.BaseAddress!.Port;
            await File.WriteAllTextAsync(Path.Combine(defaults, "account.yaml"), $"""
                my_email: lkp-user@example.org
                my_name: lkp-user
                my_account: lkp-user
                my_token: unused-in-open-mode
                lab: z9
                SCHED_HOST: 127.0.0.1
                SCHED_PORT: {port}

                """, TestContext.Current.CancellationToken);

            var output = await RunAsync(
                "ruby",
                [Path.Combine(src, "sbin", "submit"), "testbox=vm-2p8g--x", "jobs/hackbench.yaml"],
                src,
                new Dictionary<string, string> { ["HOME"] = home, ["LKP_SRC"] = src });

            var ids = GotJobId().Matches(output).Select(m => m.Groups["id"].Value).ToList();
            Assert.True(ids.Count == 8, output);
            Assert.DoesNotContain("failed", output, StringComparison.Ordinal);
            var pps = new HashSet<string>();
            foreach (var id in ids)
            {
                var job = await fixture.Client.GetJobAsync(id);
                Assert.NotNull(job);
                Assert.Equal("hackbench", job["suite"]!.GetValue<string>());
                // lkp's submit names the tbox_group itself (here the whole testbox name), and compass-ci keeps a sent one.
                Assert.Equal("vm-2p8g--x", job["testbox"]!.GetValue<string>());
                Assert.Equal("vm", job["tbox_type"]!.GetValue<string>());
                Assert.Equal("8", job["memory_minimum"]!.GetValue<string>());
                var pp = job["pp"]!["hackbench"]!.AsObject();
                pps.Add($"{pp["nr_threads"]}/{pp["mode"]}/{pp["ipc"]}");
                Assert.Null(job["pkg_data"]!["lkp-tests"]!["content"]);
                Assert.True(File.Exists(Path.Combine(fixture.ResultsRoot, "pkg", "lkp-tests", job["pkg_data"]!["lkp-tests"]!["md5"]!.GetValue<string>() + ".cgz")));
            }

            // The matrix: nr_threads × mode × ipc, every combination once.
            Assert.Equal(8, pps.Count);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>Runs a program to its end; its output (stdout and stderr); a failure names its exit code and output.</summary>
    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, string directory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {output}");
        return output;
    }

    [GeneratedRegex(@"^submit \S+, got job id=(?<id>[0-9]+)$", RegexOptions.Multiline)]
    private static partial Regex GotJobId();
}
