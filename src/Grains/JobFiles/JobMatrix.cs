using System.Text.Json.Nodes;

namespace CompassCi.Grains.JobFiles;

/// <summary>
/// Expands one job document into the cross product of its arrays, as lkp's <c>each_job</c> does: the first array in
/// file order (depth first, into mappings and <c>if role</c> sections, not into lists) is the outermost loop; each of
/// its values is put in its place and the rest expands again. Which arrays expand: <see cref="LkpJobKeys.IsList"/>.
/// </summary>
internal static class JobMatrix
{
    /// <summary>The most jobs one file may expand to; each is a stored row, and a typo in a matrix should not make millions.</summary>
    public const int MaxJobs = 1000;

    /// <summary>
    /// Appends the jobs of <paramref name="document"/> to <paramref name="jobs"/>. False (with the key path) when an
    /// array is empty, which would expand to no job at all; or when the jobs would pass <see cref="MaxJobs"/>.
    /// </summary>
    public static bool TryExpand(JsonObject document, List<JsonObject> jobs, out string? emptyArrayPath)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(jobs);
        emptyArrayPath = null;
        var work = (JsonObject)document.DeepClone();
        return Expand(work, jobs, ref emptyArrayPath);
    }

    private static bool Expand(JsonObject job, List<JsonObject> jobs, ref string? emptyArrayPath)
    {
        if (FirstArray(job, string.Empty) is not var (parent, key, array, path))
        {
            if (jobs.Count >= MaxJobs)
            {
                return false;
            }

            jobs.Add((JsonObject)job.DeepClone());
            return true;
        }

        if (array.Count == 0)
        {
            emptyArrayPath = path;
            return false;
        }

        foreach (var value in array)
        {
            parent[key] = value?.DeepClone();
            if (!Expand(job, jobs, ref emptyArrayPath))
            {
                return false;
            }
        }

        // The array was detached when its first value took its place; it goes back for the loops outside this one.
        parent[key] = array;
        return true;
    }

    private static (JsonObject Parent, string Key, JsonArray Array, string Path)? FirstArray(JsonObject mapping, string prefix)
    {
        foreach (var (key, value) in mapping)
        {
            if (LkpJobKeys.IsList(key))
            {
                continue;
            }

            switch (value)
            {
                case JsonArray array:
                    return (mapping, key, array, prefix + key);
                case JsonObject inner when FirstArray(inner, $"{prefix}{key}.") is { } found:
                    return found;
            }
        }

        return null;
    }
}
