using System.Text.Json.Nodes;
using CompassCi.Grains.Clusters;

namespace CompassCi.Grains.JobFiles;

/// <summary>
/// Builds an expanded job's <c>pp</c> (program parameters) as lkp's submit does in <c>add_pp</c>: one entry per
/// program the job runs, holding that program's options; an option set on the program wins over the same option
/// set at the top level. Programs are found as <see cref="LkpJobKeys"/> describes. The server reads <c>pp</c> back
/// with <see cref="Results.PpParams"/> (result_root, all_params_md5).
/// </summary>
internal static class PpBuilder
{
    /// <summary>
    /// The <c>pp</c> of <paramref name="job"/> (one expanded job): its programs in file order, those in <c>if role</c>
    /// sections where the section stands. <paramref name="topOptions"/> are the top-level keys every program
    /// takes as options (<see cref="LkpJobKeys.JobDimensions"/>, found before expansion). A program with no options
    /// is null, as in lkp.
    /// </summary>
    public static JsonObject Build(JsonObject job, IReadOnlyList<string> topOptions)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(topOptions);
        var pp = new JsonObject();
        foreach (var (key, value) in job)
        {
            if (LkpJobKeys.IsProgram(key, value))
            {
                Add(pp, job, key, value, topOptions);
            }
            else if (ClusterJobSplitter.SectionRole(key) is not null && value is JsonObject section)
            {
                foreach (var (program, options) in section)
                {
                    if (LkpJobKeys.IsProgram(program, options))
                    {
                        Add(pp, job, program, options, topOptions);
                    }
                }
            }
        }

        return pp;
    }

    private static void Add(JsonObject pp, JsonObject job, string program, JsonNode? own, IReadOnlyList<string> topOptions)
    {
        // A program that appears twice (in two role sections) keeps its first entry, as lkp's add_pp does.
        if (pp.ContainsKey(program))
        {
            return;
        }

        var options = new JsonObject();
        foreach (var option in topOptions)
        {
            if (job[option] is { } value && !(own is JsonObject mine && mine.ContainsKey(option)))
            {
                options[option] = value.DeepClone();
            }
        }

        if (own is JsonObject ownOptions)
        {
            foreach (var (option, value) in ownOptions)
            {
                // lkp leaves out options whose value is empty.
                if (value is not null)
                {
                    options[option] = value.DeepClone();
                }
            }
        }

        pp[program] = options.Count > 0 ? options : null;
    }
}
