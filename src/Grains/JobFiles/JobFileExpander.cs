using System.Text.Json.Nodes;
using CompassCi.Grains.Submit;

namespace CompassCi.Grains.JobFiles;

/// <summary>
/// Turns one lkp job file into the jobs lkp-tests' <c>sbin/submit</c> would send for it (lib/job.rb <c>load</c>,
/// <c>each_jobs</c>, <c>add_pp</c>), without running any of its Ruby:
/// <list type="number">
/// <item>ERB and <c>{{ }}</c> snippets are masked (<see cref="TemplateSnippets"/>) and every YAML document is read;</item>
/// <item>the overrides (the command line's, then those of each document's <c>override:</c> mapping, the command line
/// winning) are set in every document, before anything expands;</item>
/// <item>each document is split by its arrays of <see cref="LkpJobKeys.SplitKeys"/> (lkp's <c>multi_args</c>);</item>
/// <item>the first of these documents is the base; each later one is laid over a copy of it, key by top-level key
/// (a later document's <c>hackbench:</c> replaces the base's whole <c>hackbench:</c>);</item>
/// <item>each yields the cross product of its arrays (<see cref="JobMatrix"/>), and each job gets its <c>pp</c>
/// (<see cref="PpBuilder"/>). <c>if role</c> sections stay for the server's cluster split.</item>
/// </list>
/// A snippet still in a document after the overrides is an error naming its line and key: its value is whatever
/// the submitter's Ruby would have made, which only an override can say.
/// </summary>
public static class JobFileExpander
{
    /// <summary>The error field for problems of the file as a whole.</summary>
    public const string BodyField = "body";

    /// <summary>The key of a document's own overrides, which lkp takes out and applies to every document.</summary>
    private const string OverrideKey = "override";

    /// <summary>Expands <paramref name="text"/> (an lkp job file) with <paramref name="overrides"/> applied.</summary>
    public static JobFileExpansion Expand(string text, IReadOnlyList<JobFileOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(overrides);
        var snippets = TemplateSnippets.Mask(text);
        if (!YamlJobParser.TryParseDocuments(snippets.Masked, out var roots, out var parseError))
        {
            var hint = snippets.Count > 0 ? $" (with its ERB snippets, on line {snippets.DescribeLines()}, left out: they are never run)" : string.Empty;
            return JobFileExpansion.Failure(BodyField, parseError + hint);
        }

        var documents = new List<JsonObject>();
        for (var i = 0; i < roots.Count; i++)
        {
            if (roots[i] is not JsonObject document)
            {
                return JobFileExpansion.Failure(BodyField, $"YAML document {i + 1} must be a mapping of job keys, not {roots[i]?.ToJsonString() ?? "empty"}");
            }

            documents.Add(document);
        }

        if (documents.Count == 0)
        {
            return JobFileExpansion.Failure(BodyField, "is empty; send an lkp job file");
        }

        var settings = Settings(overrides, documents);
        var split = new List<JsonObject>();
        foreach (var document in documents)
        {
            foreach (var (key, value) in settings)
            {
                JobFileOverride.Set(document, key, value?.DeepClone());
            }

            if (SnippetError(document, snippets, string.Empty) is { } snippet)
            {
                return JobFileExpansion.Failure(snippet.Field, snippet.Message);
            }

            split.AddRange(Split(document));
        }

        var jobs = new List<JsonObject>();
        var baseDocument = split[0];
        foreach (var document in split)
        {
            var merged = document == baseDocument ? baseDocument : Over(baseDocument, document);
            var topOptions = LkpJobKeys.JobDimensions(merged);
            var first = jobs.Count;
            if (!JobMatrix.TryExpand(merged, jobs, out var emptyArray))
            {
                return emptyArray is not null
                    ? JobFileExpansion.Failure(emptyArray, "is an empty list, which expands to no job; give it at least one value")
                    : JobFileExpansion.Failure(BodyField, $"expands to more than {JobMatrix.MaxJobs} jobs; split the file, or fix some of its arrays with overrides");
            }

            foreach (var job in jobs.Skip(first))
            {
                job["pp"] = PpBuilder.Build(job, topOptions);
            }
        }

        return new JobFileExpansion(jobs, new Dictionary<string, string[]>());
    }

    /// <summary>The settings in force: the command line's, then each document's <c>override:</c> keys it does not set.</summary>
    private static List<(string Key, JsonNode? Value)> Settings(IReadOnlyList<JobFileOverride> overrides, List<JsonObject> documents)
    {
        var settings = overrides.Select(o => (o.Key, Value: (JsonNode?)JsonValue.Create(o.Value))).ToList();
        foreach (var document in documents)
        {
            if (document[OverrideKey] is JsonObject own)
            {
                foreach (var (key, value) in own)
                {
                    if (!settings.Any(s => s.Key == key))
                    {
                        settings.Add((key, value?.DeepClone()));
                    }
                }

                document.Remove(OverrideKey);
            }
        }

        return settings;
    }

    /// <summary>The first snippet left in <paramref name="mapping"/> (by file order), as an error naming its key and line.</summary>
    private static (string Field, string Message)? SnippetError(JsonObject mapping, TemplateSnippets snippets, string prefix)
    {
        if (snippets.Count == 0)
        {
            return null;
        }

        foreach (var (key, value) in mapping)
        {
            var path = prefix + key;
            if (snippets.LineIn(key) is { } keyLine)
            {
                return (BodyField, $"line {keyLine} holds ERB code in a key, which is never run here; write the key out in the file");
            }

            var found = value switch
            {
                JsonObject inner => SnippetError(inner, snippets, path + "."),
                JsonArray items => items.Select(item => Leaf(item, snippets, path)).FirstOrDefault(e => e is not null),
                _ => Leaf(value, snippets, path),
            };
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static (string Field, string Message)? Leaf(JsonNode? node, TemplateSnippets snippets, string path) => node switch
    {
        JsonObject inner => SnippetError(inner, snippets, path + "."),
        JsonValue value when value.TryGetValue<string>(out var text) && snippets.LineIn(text) is { } line =>
            (path, $"line {line} holds ERB code (<% … %> or {{{{ … }}}}), which is never run here; override {path} to give its value ({path}=…, lkp's -s '{path}: …'; on POST /api/v1/jobs?expand=true: set={path}=…)"),
        _ => null,
    };

    /// <summary>
    /// lkp's <c>multi_args</c>: one document per value of each split key that holds an array, in key order. An empty
    /// array stays, for <see cref="JobMatrix"/> to report.
    /// </summary>
    private static List<JsonObject> Split(JsonObject document)
    {
        var documents = new List<JsonObject> { document };
        foreach (var (key, value) in document.ToList())
        {
            if (LkpJobKeys.SplitKeys.Contains(key) && value is JsonArray { Count: > 0 } values)
            {
                documents = [.. documents.SelectMany(d => values.Select(v =>
                {
                    var copy = (JsonObject)d.DeepClone();
                    copy[key] = v?.DeepClone();
                    return copy;
                }))];
            }
        }

        return documents;
    }

    /// <summary>A copy of <paramref name="baseDocument"/> with each top-level key of <paramref name="later"/> set over it.</summary>
    private static JsonObject Over(JsonObject baseDocument, JsonObject later)
    {
        var merged = (JsonObject)baseDocument.DeepClone();
        foreach (var (key, value) in later)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }
}
