using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Lifecycle;

/// <summary>A job's own <c>max_attempts</c>: how many attempts it gets in all before a crash is final.</summary>
public static class MaxAttempts
{
    /// <summary>The job field.</summary>
    public const string Field = "max_attempts";

    /// <summary>The most a job may ask for; more would let one broken lab machine eat a job's whole day.</summary>
    public const int Limit = 20;

    /// <summary>
    /// Reads the field: null value when the job sets none (the policy's default applies). A whole number from 0
    /// (never reschedule) to <see cref="Limit"/>, as a number or as digits in a string (lkp writes both).
    /// </summary>
    public static (int? Value, string? Error) Read(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document[Field] is not JsonValue node)
        {
            return document.ContainsKey(Field) && document[Field] is not null
                ? (null, $"must be a whole number from 0 to {Limit}")
                : (null, null);
        }

        var parsed = node.GetValueKind() switch
        {
            JsonValueKind.Number when node.TryGetValue<int>(out var n) => n,
            JsonValueKind.String when int.TryParse(node.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => -1,
        };
        return parsed is >= 0 and <= Limit ? (parsed, null) : (null, $"must be a whole number from 0 to {Limit}");
    }

    /// <summary>The job's limit, or <paramref name="fallback"/> when it sets none (or, stored before validation, a bad one).</summary>
    public static int Of(string document, int fallback) =>
        JsonNode.Parse(document) is JsonObject job && Read(job).Value is { } own ? own : fallback;
}
