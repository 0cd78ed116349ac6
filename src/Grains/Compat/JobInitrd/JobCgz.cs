using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>
/// A job's <c>job.cgz</c>: the gzip'd newc cpio that the testbox unpacks over its root (as compass-ci's
/// create-job-cpio.sh packs it): <c>lkp/</c>, <c>lkp/scheduled/</c>, then <c>job.yaml</c>, <c>job.sh</c> and
/// <c>secrets.yaml</c> in it. A pure function of its parts, so every fetch of one job gives the same bytes.
/// </summary>
public static class JobCgz
{
    /// <summary>The directory lkp-bootstrap reads the job from.</summary>
    public const string Directory = "lkp/scheduled";

    // Modes as compass-ci's create-job-cpio.sh installs the files (C# has no octal literals).
    private const int DirectoryMode = 0b111_101_101; // 0755
    private const int FileMode = 0b110_110_100;      // 0664
    private const int ScriptMode = 0b111_111_101;    // 0775

    /// <summary>The archive for <paramref name="parts"/>, with <paramref name="jobSecret"/> in secrets.yaml; files dated <paramref name="mtime"/> (unix seconds).</summary>
    public static byte[] Build(InitrdParts parts, string jobSecret, long mtime)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(jobSecret);
        var cpio = NewcCpio.Write(
        [
            CpioEntry.Directory("lkp", DirectoryMode),
            CpioEntry.Directory(Directory, DirectoryMode),
            CpioEntry.File(Directory + "/job.yaml", FileMode, Utf8(YamlText.Of(parts.Job))),
            CpioEntry.File(Directory + "/job.sh", ScriptMode, Utf8(JobScript.Of(parts.Job, parts.Job2Sh))),
            CpioEntry.File(Directory + "/secrets.yaml", FileMode, Utf8(SecretsYaml(parts.Secrets, jobSecret))),
        ], mtime);
        return Gzip(cpio);
    }

    /// <summary>
    /// secrets.yaml: <c>job_secret</c> (what the testbox shows for this job's own calls) and the job's secrets map.
    /// lkp reads it as <c>key value</c> lines (lib/job.sh read_secret_vars), so values stay plain where YAML allows.
    /// </summary>
    public static string SecretsYaml(JsonObject secrets, string jobSecret)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var all = new JsonObject { ["job_secret"] = jobSecret };
        foreach (var (name, value) in secrets)
        {
            if (name != "job_secret")
            {
                all[name] = value?.DeepClone();
            }
        }

        return YamlText.Of(all);
    }

    /// <summary>
    /// gzip at a fixed level. .NET's GZipStream (zlib) writes no file name and a zero time into the header, so the
    /// output depends on the input alone (a test holds this).
    /// </summary>
    public static byte[] Gzip(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Utf8(string text) => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
}
