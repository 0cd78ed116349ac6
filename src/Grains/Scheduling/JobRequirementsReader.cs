using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Scheduling;

/// <summary>
/// Reads what a job needs from a testbox out of its document: the tags a testbox must offer, the memory it
/// must have, and the job's priority.
/// </summary>
public static class JobRequirementsReader
{
    /// <summary>The priority of a job that states none.</summary>
    public const int DefaultPriority = 5;

    /// <summary>The highest priority; 0 is the lowest.</summary>
    public const int MaxPriority = 9;

    /// <summary>Top-level fields that become tags, with the tag each becomes. Canonical names come before their aliases.</summary>
    private static readonly (string Field, string Tag)[] TagFields =
    [
        ("testbox", "testbox"),
        ("tbox_group", "tbox_group"),
        ("arch", "arch"),
        ("os_arch", "arch"),
        ("tbox_type", "tbox_type"),
        ("hw_type", "tbox_type"),
        ("queue", "queue"),
    ];

    /// <summary>
    /// Reads the requirements of <paramref name="job"/>. Every problem is reported, each under the field the
    /// client wrote (<c>memory</c>, <c>hw.memory</c>, <c>tags.arch</c>, <c>priority</c>).
    /// </summary>
    public static JobRequirementsResult Read(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var errors = new FieldErrors();
        var tags = new TagCollector(errors);

        foreach (var (field, tag) in TagFields)
        {
            if (ReadString(job, field, errors) is { } value)
            {
                tags.Add(field, tag, value);
            }
        }

        ReadTagsObject(job, tags, errors);
        DeriveTboxGroup(tags, errors);
        var memoryMb = ReadMemory(job, errors);
        var priority = ReadPriority(job, errors);

        if (errors.Count > 0)
        {
            return new JobRequirementsResult(null, errors.ToDictionary());
        }

        var sorted = tags.ToSorted();
        var queueKey = TagSet.CanonicalKey(sorted);
        if (queueKey.Length > ColumnLimits.QueueKey)
        {
            // The tags name the job's queue, whose key is a column: a key past it could never be stored.
            errors.Add("tags", $"the job's {sorted.Count} tags make a queue key of {queueKey.Length} characters (k=v joined by ','); the limit is {ColumnLimits.QueueKey}");
            return new JobRequirementsResult(null, errors.ToDictionary());
        }

        var requirements = new JobRequirements(
            queueKey,
            sorted,
            memoryMb,
            priority,
            tags.ValueOf("testbox"),
            tags.ValueOf("tbox_group"),
            tags.ValueOf("arch"));
        return new JobRequirementsResult(requirements, errors.ToDictionary());
    }

    /// <summary>A top-level string field; null when absent or null.</summary>
    private static string? ReadString(JsonObject job, string field, FieldErrors errors)
    {
        if (job[field] is not { } node)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(field, $"must be a string, not {node.ToJsonString()}");
            return null;
        }

        return node.GetValue<string>();
    }

    private static void ReadTagsObject(JsonObject job, TagCollector tags, FieldErrors errors)
    {
        switch (job["tags"])
        {
            case null:
                return;
            case JsonObject map:
                // Canonical names first, so a clash between tags.arch and tags.os_arch is reported on the alias.
                foreach (var (key, node) in map.OrderBy(t => TagRules.IsAlias(t.Key)))
                {
                    var field = "tags." + key;
                    if (TagRules.KeyError(key) is { } problem)
                    {
                        errors.Add(field, problem);
                    }
                    else if (ScalarText(node) is { } value)
                    {
                        tags.Add(field, TagRules.Canonical(key), value);
                    }
                    else
                    {
                        errors.Add(field, $"must be a string, number or boolean, not {node?.ToJsonString() ?? "null"}");
                    }
                }

                return;
            default:
                errors.Add("tags", "must be a map of tag names to values, like {\"arch\": \"aarch64\"}");
                return;
        }
    }

    private static string? ScalarText(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => node.ToJsonString(),
        _ => null,
    };

    /// <summary>A job for one testbox can only run in that testbox's group, so it needs the group too.</summary>
    private static void DeriveTboxGroup(TagCollector tags, FieldErrors errors)
    {
        if (tags.Contains("tbox_group") || !tags.TryGet("testbox", out var testbox, out var field))
        {
            return;
        }

        var group = TboxGroup.FromTestbox(testbox);
        if (group.Length == 0)
        {
            errors.Add(field, $"\"{testbox}\" does not start with a tbox_group (it is cut at the first '--' or '.'); name the tbox_group as well");
            return;
        }

        tags.Add(field, "tbox_group", group);
    }

    /// <summary>The first of <c>memory_minimum</c>, <c>memory</c> and <c>hw.memory</c> that is present wins; 0 when none is.</summary>
    private static long ReadMemory(JsonObject job, FieldErrors errors)
    {
        (string Field, JsonNode? Node)[] candidates =
        [
            ("memory_minimum", job["memory_minimum"]),
            ("memory", job["memory"]),
            ("hw.memory", job["hw"] is JsonObject hw ? hw["memory"] : null),
        ];

        foreach (var (field, node) in candidates)
        {
            if (node is null)
            {
                continue;
            }

            if (MemorySize.TryParse(node, out var mebibytes, out var error))
            {
                return mebibytes;
            }

            errors.Add(field, error);
            return 0;
        }

        return 0;
    }

    private static int ReadPriority(JsonObject job, FieldErrors errors)
    {
        if (job["priority"] is not { } node)
        {
            return DefaultPriority;
        }

        var text = node.GetValueKind() switch
        {
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.String => node.GetValue<string>(),
            _ => null,
        };

        // Digits only: no sign, no fraction, no exponent, no spaces.
        if (text is { Length: > 0 } && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            && priority <= MaxPriority)
        {
            return priority;
        }

        errors.Add("priority", $"{node.ToJsonString()} is not a priority; use a whole number from 0 (lowest) to {MaxPriority} (highest)");
        return DefaultPriority;
    }
}
