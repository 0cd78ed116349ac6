using System.Globalization;
using System.Text;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The result files one extraction-phase job uploads, in the format lkp-tests' <c>sbin/dump-stat</c> writes:
/// <c>&lt;monitor&gt;.json</c>, an object whose keys are already <c>&lt;monitor&gt;.&lt;stat&gt;</c> and whose values
/// are arrays of samples, plus a <c>&lt;monitor&gt;.time</c> column the server's extraction skips. About 1 KiB each.
/// The numbers follow from the job and file index alone, so a rerun writes the same bytes.
/// </summary>
public static class ResultFileWriter
{
    /// <summary>
    /// Ten monitors lkp-tests really has. None is <c>time</c> and no stat name matches a max-latency or counter rule,
    /// so extraction turns every key but <c>.time</c> into exactly one stat.
    /// </summary>
    public static readonly IReadOnlyList<string> Monitors =
        ["vmstat", "meminfo", "diskstats", "cpuidle", "slabinfo", "netdev", "mpstat", "loadavg", "buddyinfo", "numa-meminfo"];

    /// <summary>Stats per monitor (the .time column not counted).</summary>
    public const int StatsPerMonitor = 12;

    /// <summary>Samples per stat: several, so the server reduces them (a mean) rather than copying one.</summary>
    public const int Samples = 8;

    public static int FilesPerJob => Monitors.Count;

    /// <summary>The stats a job's extraction must produce: every <c>&lt;monitor&gt;.&lt;stat&gt;</c> key, and nothing else.</summary>
    public static int StatsPerJob => Monitors.Count * StatsPerMonitor;

    public static string FileName(int file) => Monitors[file] + ".json";

    /// <summary>The stat keys file <paramref name="file"/> holds (its .time column left out).</summary>
    public static IEnumerable<string> StatKeys(int file) =>
        Enumerable.Range(0, StatsPerMonitor).Select(s => StatKey(Monitors[file], s));

    /// <summary>Every stat key a job's stats must have.</summary>
    public static IEnumerable<string> AllStatKeys() => Enumerable.Range(0, FilesPerJob).SelectMany(StatKeys);

    /// <summary>File <paramref name="file"/> of job <paramref name="job"/> as UTF-8 JSON.</summary>
    public static byte[] Write(int job, int file)
    {
        var monitor = Monitors[file];
        var json = new StringBuilder(1200).Append('{');
        // The sampling times, one a second from a fixed start: more than two, as dump-stat's are.
        Column(json, monitor + ".time", s => (1_700_000_000 + (job * 60) + s).ToString(CultureInfo.InvariantCulture));
        for (var stat = 0; stat < StatsPerMonitor; stat++)
        {
            var seed = ((job * 31) + (file * 7) + (stat * 13)) % 90_000;
            json.Append(',');
            Column(json, StatKey(monitor, stat), s => (10_000 + seed + (s * 3)).ToString(CultureInfo.InvariantCulture));
        }

        return Encoding.UTF8.GetBytes(json.Append('}').ToString());
    }

    private static string StatKey(string monitor, int stat) => $"{monitor}.field_{stat:D2}";

    private static void Column(StringBuilder json, string key, Func<int, string> sample)
    {
        json.Append('"').Append(key).Append("\":[");
        for (var s = 0; s < Samples; s++)
        {
            json.Append(s == 0 ? "" : ",").Append(sample(s));
        }

        json.Append(']');
    }
}
