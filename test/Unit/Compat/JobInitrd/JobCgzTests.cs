using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.JobInitrd;

namespace CompassCi.Tests.Unit.Compat.JobInitrd;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // unpacked with the system's gzip and cpio
public class JobCgzTests
{
    private const string Secret = "cjs_42_the-job-secret";

    [Fact]
    public async Task Cpio_unpacks_into_lkp_scheduled_with_exactly_its_three_files()
    {
        var parts = InitrdJobs.Parts(InitrdJobs.LkpDocument());
        var mtime = InitrdJobs.BootMillis / 1000;
        var dir = Unpack.NewDirectory();
        try
        {
            await Unpack.CgzAsync(JobCgz.Build(parts, Secret, mtime), dir);

            Assert.Equal(["lkp", "lkp/scheduled", "lkp/scheduled/job.sh", "lkp/scheduled/job.yaml", "lkp/scheduled/secrets.yaml"], Unpack.Paths(dir));
            Assert.Equal(YamlText.Of(parts.Job), await File.ReadAllTextAsync(Path.Combine(dir, "lkp/scheduled/job.yaml"), TestContext.Current.CancellationToken));
            Assert.Equal(JobScript.Of(parts.Job, parts.Job2Sh), await File.ReadAllTextAsync(Path.Combine(dir, "lkp/scheduled/job.sh"), TestContext.Current.CancellationToken));
            Assert.Equal(JobCgz.SecretsYaml(parts.Secrets, Secret), await File.ReadAllTextAsync(Path.Combine(dir, "lkp/scheduled/secrets.yaml"), TestContext.Current.CancellationToken));

            // Modes and times as packed (cpio -m keeps the time).
            Assert.True(File.GetUnixFileMode(Path.Combine(dir, "lkp/scheduled/job.sh")).HasFlag(UnixFileMode.UserExecute));
            Assert.False(File.GetUnixFileMode(Path.Combine(dir, "lkp/scheduled/job.yaml")).HasFlag(UnixFileMode.UserExecute));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(mtime), new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(dir, "lkp/scheduled/job.yaml"))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_same_job_gives_the_same_bytes_and_another_job_other_bytes()
    {
        var first = JobCgz.Build(InitrdJobs.Parts(InitrdJobs.LkpDocument()), Secret, 1000);
        var again = JobCgz.Build(InitrdJobs.Parts(InitrdJobs.LkpDocument()), Secret, 1000);
        Assert.Equal(first, again);

        // gzip: magic, deflate, no flags (no file name), and a zero time in the header.
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 }, first[..8]);

        Assert.NotEqual(first, JobCgz.Build(InitrdJobs.Parts(InitrdJobs.LkpDocument(), id: 43), Secret, 1000));
        Assert.NotEqual(first, JobCgz.Build(InitrdJobs.Parts(InitrdJobs.LkpDocument()), "cjs_42_another", 1000));
    }

    [Fact]
    public void Newc_members_are_aligned_and_end_with_the_trailer()
    {
        var cpio = NewcCpio.Write([CpioEntry.Directory("d", 0x1ED), CpioEntry.File("d/f", 0x1A4, "abcde"u8.ToArray())], 7);
        var text = System.Text.Encoding.ASCII.GetString(cpio);

        Assert.StartsWith("070701", text, StringComparison.Ordinal);
        Assert.Equal(0, cpio.Length % 512);
        var second = text.IndexOf("070701", 6, StringComparison.Ordinal);
        Assert.Equal(0, second % 4);
        // The file's header: inode 2, regular 0644, root, one link, time 7, 5 bytes, name of 4 bytes with its NUL.
        Assert.Equal("070701" + "00000002" + "000081A4" + "00000000" + "00000000" + "00000001" + "00000007" + "00000005", text.Substring(second, 62));
        Assert.Contains("abcde", text, StringComparison.Ordinal);
        Assert.Contains("TRAILER!!!\0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_yaml_holds_the_job_secret_and_the_jobs_secrets_as_key_value_lines()
    {
        var yaml = JobCgz.SecretsYaml(new JsonObject { ["db_password"] = "pa55", ["job_secret"] = "forged" }, Secret);
        Assert.Equal($"job_secret: {Secret}\ndb_password: pa55\n", yaml);
    }
}
