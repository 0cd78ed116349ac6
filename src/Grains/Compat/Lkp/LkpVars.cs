using System.Globalization;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Compat.Lkp;

/// <summary>
/// The variables an lkp testbox appended to its job (<see cref="JobRecord.LkpVars"/>), one JSON object: a later value of
/// a name replaces the earlier one. Times (<c>start_time</c>, <c>end_time</c>: unix seconds, as lkp sends them) are
/// kept as numbers, everything else as the text sent.
/// </summary>
public static class LkpVars
{
    /// <summary>The names whose values are unix seconds.</summary>
    public static readonly IReadOnlyList<string> TimeNames = ["start_time", "end_time"];

    /// <summary><paramref name="stored"/> (null for none) with <paramref name="vars"/> merged in, as JSON; null when both are empty.</summary>
    public static string? Merge(string? stored, IReadOnlyDictionary<string, string> vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        var merged = Parse(stored);
        foreach (var (name, value) in vars)
        {
            merged[name] = Value(name, value);
        }

        return merged.Count == 0 ? null : merged.ToJsonString();
    }

    /// <summary>The stored object (empty for none).</summary>
    public static JsonObject Parse(string? stored) =>
        stored is { Length: > 0 } && JsonNode.Parse(stored) is JsonObject json ? json : [];

    /// <summary>One value as stored: a number for a time name that holds unix seconds, else the text.</summary>
    public static JsonNode Value(string name, string value) =>
        TimeNames.Contains(name, StringComparer.Ordinal) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? JsonValue.Create(seconds)
            : JsonValue.Create(value);
}
