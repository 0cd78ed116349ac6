using System.Text.Json.Nodes;
using CompassCi.Grains.Clusters;

namespace CompassCi.Grains.JobFiles;

/// <summary>
/// What the keys of an lkp job file are, decided from the file alone. lkp's submit knows its programs from
/// <c>$LKP_SRC</c> (the scripts under <c>tests/</c>, <c>setup/</c>, <c>daemon/</c>, each declaring its options in its
/// header) and expands only arrays under those programs, their options and a few job fields; the scheduler has no
/// <c>$LKP_SRC</c>, so it reads the file's shape instead:
/// <list type="bullet">
/// <item>a <b>program</b> is a key at the top level or in an <c>if role</c> section whose value is a mapping (its
/// options) or empty (<c>sshd:</c>), other than the job's own mappings (<see cref="NotPrograms"/>);</item>
/// <item>every <b>array expands</b>, at any depth, except under the keys whose lists are data
/// (<see cref="IsList"/>): in real job files, arrays are matrix dimensions;</item>
/// <item>an array at the top level that is not a job field (<see cref="JobDimensions"/>) is an option of every
/// program (<c>nr_threads: [1, 50%]</c> beside <c>hackbench:</c>), as lkp lets a program read options set at the top.</item>
/// </list>
/// What this misses, compared with lkp: a scalar program (<c>sleep: 6h</c>, <c>disable_latency_stats: 1</c>) and a
/// scalar top-level option (<c>iterations: 8</c>) are not in <c>pp</c>; a monitor written as a mapping
/// (<c>perf-profile: {duration: 2}</c>) is taken for a program.
/// </summary>
internal static class LkpJobKeys
{
    /// <summary>lkp's <c>multi_args</c> keys: an array here makes one job file per value before anything else expands.</summary>
    public static readonly IReadOnlyList<string> SplitKeys = ["testbox", "tbox_group", "os", "os_arch", "os_version", "arch", "os_mount"];

    /// <summary>Top-level mappings that are the job's own, not programs.</summary>
    private static readonly HashSet<string> NotPrograms = new(StringComparer.Ordinal)
    {
        "pp", "ss", "monitors", "tags", "hw", "secrets", "job2sh", "pkg_data", "define_files", "install_depend_packages",
        "boot_params", "disk", "override",
    };

    /// <summary>Keys whose lists are values, never expanded: lkp's accumulative keys and what submit itself sends.</summary>
    private static readonly HashSet<string> Lists = new(StringComparer.Ordinal)
    {
        "mail_to", "mail_cc", "constraints", "job2sh", "pkg_data", "define_files", "ss", "pp",
    };

    /// <summary>Job fields lkp expands that are no program's option (its <c>EXPAND_DIMS</c> and the split keys).</summary>
    private static readonly HashSet<string> JobFields = new(StringComparer.Ordinal)
    {
        "kconfig", "commit", "rootfs", "cluster", "node_roles",
    };

    /// <summary>True when an array under <paramref name="key"/> is a value rather than a dimension to expand.</summary>
    public static bool IsList(string key) =>
        Lists.Contains(key) || (key.StartsWith("need_", StringComparison.Ordinal) && key is not ("need_memory" or "need_cpu" or "need_modules"));

    /// <summary>True when <paramref name="key"/>, holding <paramref name="value"/>, is a program (see the class notes).</summary>
    public static bool IsProgram(string key, JsonNode? value) =>
        value is null or JsonObject
        && !NotPrograms.Contains(key)
        && ClusterJobSplitter.SectionRole(key) is null;

    /// <summary>
    /// The top-level keys of <paramref name="document"/> (not yet expanded) that are options of every program: arrays
    /// that expand and are no job field.
    /// </summary>
    public static IReadOnlyList<string> JobDimensions(JsonObject document) =>
        [.. document.Where(p => p.Value is JsonArray && !IsList(p.Key) && !JobFields.Contains(p.Key) && !SplitKeys.Contains(p.Key)
            && !p.Key.EndsWith("_commit", StringComparison.Ordinal))
            .Select(p => p.Key)];
}
