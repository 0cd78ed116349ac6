using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.JobInitrd;

namespace CompassCi.Tests.Unit.Compat.JobInitrd;

/// <summary>job.sh as lkp-bootstrap uses it: sourced in a shell, then <c>export_top_env</c> called.</summary>
public class JobScriptTests
{
    private static readonly string[] Hostile =
    [
        "it's",
        "$(touch executed-1)",
        "`touch executed-2`",
        "a\nb\n",
        "back\\slash \"double\" $HOME ${PATH} !x",
        "'; touch executed-3; '",
        "\t leading and trailing \t",
        "ünïcödé 测试",
    ];

    [Fact]
    public async Task Export_top_env_exports_the_job_and_the_server_addresses()
    {
        var parts = InitrdJobs.Parts(InitrdJobs.LkpDocument());
        var values = await ExportedAsync(parts, ["id", "result_root", "LKP_SERVER", "LKP_CGI_PORT", "RESULT_WEBDAV_PORT", "SCHED_HOST", "SCHED_PORT", "testbox", "tbox_group", "suite", "os_version", "nr_threads", "runtime", "job_stage", "my_token", "secrets", "LKP_SRC"]);

        Assert.Equal("42", values["id"]);
        Assert.Equal("/result/ebizzy/2026-03-01/vm-2p8g/openeuler-20.03-aarch64/200%/42", values["result_root"]);
        Assert.Equal("sched.example", values["LKP_SERVER"]);
        Assert.Equal("3000", values["LKP_CGI_PORT"]);
        Assert.Equal("3080", values["RESULT_WEBDAV_PORT"]);
        // The submitter's own SCHED_HOST is replaced by the address the testbox reached.
        Assert.Equal("sched.example", values["SCHED_HOST"]);
        Assert.Equal("3000", values["SCHED_PORT"]);
        Assert.Equal("vm-2p8g--h1-0", values["testbox"]);
        Assert.Equal("vm-2p8g", values["tbox_group"]);
        Assert.Equal("ebizzy", values["suite"]);
        Assert.Equal("20.03", values["os_version"]);
        Assert.Equal("200%", values["nr_threads"]);
        Assert.Equal("300", values["runtime"]);
        Assert.Equal("boot", values["job_stage"]);
        Assert.Equal("<unset>", values["my_token"]);
        Assert.Equal("<unset>", values["secrets"]);
        Assert.Equal("/lkp/lkp/src", values["LKP_SRC"]);
    }

    [Theory]
    [InlineData("sh")] // lkp-bootstrap is a /bin/sh script (dash on Debian)
    [InlineData("bash")]
    public async Task Hostile_values_come_out_literally_and_nothing_is_executed(string shell)
    {
        var document = new JsonObject { ["suite"] = "ebizzy" };
        for (var i = 0; i < Hostile.Length; i++)
        {
            document["v" + i] = Hostile[i];
        }

        document["list"] = new JsonArray("one", "$(touch executed-4)", 3);
        document["a_map"] = new JsonObject { ["x"] = "1" };
        document["bad-name"] = "not a variable";
        document["nothing"] = null;
        var parts = InitrdJobs.Parts(document);
        var names = Enumerable.Range(0, Hostile.Length).Select(i => "v" + i).Concat(["list", "a_map", "nothing"]).ToArray();
        var dir = Unpack.NewDirectory();
        try
        {
            var values = await ExportedAsync(parts, names, dir, shell);

            for (var i = 0; i < Hostile.Length; i++)
            {
                Assert.Equal(Hostile[i], values["v" + i]);
            }

            Assert.Equal("one\n$(touch executed-4)\n3", values["list"]);
            Assert.Equal("<unset>", values["a_map"]);
            Assert.Equal("<unset>", values["nothing"]);
            Assert.DoesNotContain("bad-name", JobScript.Of(parts.Job, null), StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFiles(dir, "executed-*"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_job2sh_lines_follow_with_a_blank_line_for_each_null_and_are_called_by_name()
    {
        var parts = InitrdJobs.Parts(InitrdJobs.LkpDocument());
        var script = JobScript.Of(parts.Job, parts.Job2Sh);

        Assert.StartsWith("#!/bin/sh\n\nexport_top_env()\n{\n", script, StringComparison.Ordinal);
        Assert.Contains("\nrun_job()\n{\n\n\techo ran:$id:$nr_threads\n}\n\nextract_stats()\n{\n\techo stats\n\n}\n\ndefine_files()\n{\n\texport define_files=''\n}\n\n\"$@\"\n", script, StringComparison.Ordinal);

        var dir = Unpack.NewDirectory();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "job.sh"), script, TestContext.Current.CancellationToken);
            // As lkp runs it: the variables exported first, then the script called with a function's name.
            var (exit, output, error) = await Unpack.BashAsync(". ./job.sh && export_top_env && sh ./job.sh run_job && sh ./job.sh extract_stats", dir);
            Assert.True(exit == 0, error);
            Assert.Equal("ran:42:200%\nstats\n", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Without_job2sh_the_script_is_export_top_env_alone()
    {
        var parts = InitrdJobs.Parts(new JsonObject { ["suite"] = "ebizzy", ["job2sh"] = "not a map" });
        var script = JobScript.Of(parts.Job, parts.Job2Sh);
        Assert.EndsWith("}\n\n\"$@\"\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("not a map", script, StringComparison.Ordinal);
    }

    /// <summary>job.sh sourced in <paramref name="shell"/>, export_top_env called, then each variable printed (NUL-separated; &lt;unset&gt; when unset).</summary>
    private static async Task<Dictionary<string, string>> ExportedAsync(InitrdParts parts, string[] names, string? inDir = null, string shell = "bash")
    {
        var dir = inDir ?? Unpack.NewDirectory();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "job.sh"), JobScript.Of(parts.Job, parts.Job2Sh), TestContext.Current.CancellationToken);
            var print = string.Join(" ", names.Select(n => $"\"${{{n}-<unset>}}\""));
            // The values are read in a child process, so that they were exported, not merely set.
            var (exit, output, error) = await Unpack.ShellAsync(shell, $". ./job.sh && unset LKP_SRC && export_top_env && bash -c 'printf \"%s\\0\" {print.Replace("'", "'\\''", StringComparison.Ordinal)}'", dir);
            Assert.True(exit == 0, error);
            var values = output.Split('\0');
            return names.Select((n, i) => (n, values[i])).ToDictionary(p => p.n, p => p.Item2);
        }
        finally
        {
            if (inDir is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
