using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CompassCi.Grains.Scheduling;

/// <summary>
/// Reads a job's memory need: a JSON number of GiB, or a string such as <c>16</c>, <c>16G</c>,
/// <c>512MB</c>, <c>1.5GiB</c> or <c>2T</c>. Units are binary whatever their spelling, as in lkp-tests.
/// </summary>
internal static partial class MemorySize
{
    public const long MaxMebibytes = 64L * 1024 * 1024;

    private const string Hint = "use a number of GiB or a number with M, G or T";

    private static readonly Dictionary<string, long> MebibytesPerUnit = new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = 1024,
        ["M"] = 1,
        ["MB"] = 1,
        ["MiB"] = 1,
        ["G"] = 1024,
        ["GB"] = 1024,
        ["GiB"] = 1024,
        ["T"] = 1024 * 1024,
        ["TB"] = 1024 * 1024,
        ["TiB"] = 1024 * 1024,
    };

    /// <summary>Reads <paramref name="node"/> as MiB, rounded up to a whole MiB.</summary>
    public static bool TryParse(JsonNode node, out long mebibytes, [NotNullWhen(false)] out string? error)
    {
        mebibytes = 0;
        switch (node.GetValueKind())
        {
            case JsonValueKind.Number:
                var text = node.ToJsonString();
                return TryScale(text, text, 1024, out mebibytes, out error);
            case JsonValueKind.String:
                var raw = node.GetValue<string>();
                var quoted = $"\"{raw}\"";
                var match = SizePattern().Match(raw);
                if (!match.Success)
                {
                    error = $"{quoted} is not a memory size; {Hint}";
                    return false;
                }

                var unit = match.Groups["unit"].Value;
                if (!MebibytesPerUnit.TryGetValue(unit, out var factor))
                {
                    error = $"{quoted} has an unknown unit \"{unit}\"; {Hint}";
                    return false;
                }

                return TryScale(match.Groups["number"].Value, quoted, factor, out mebibytes, out error);
            default:
                error = $"must be a number of GiB or a string such as \"16G\", not {node.ToJsonString()}";
                return false;
        }
    }

    private static bool TryScale(string number, string shown, long factor, out long mebibytes, [NotNullWhen(false)] out string? error)
    {
        mebibytes = 0;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var approximate) || !double.IsFinite(approximate))
        {
            error = $"{shown} is not a memory size; {Hint}";
            return false;
        }

        if (approximate < 0)
        {
            error = $"{shown} is negative; a memory size is 0 or more";
            return false;
        }

        // double screens out huge values; decimal then rounds up from every digit given, which double would drop:
        // 1.0000000000000000001G needs 1025 MiB, not 1024.
        var rounded = approximate * factor <= MaxMebibytes + 1
            && decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
                ? Math.Ceiling(exact * factor)
                : decimal.MaxValue;
        if (rounded > MaxMebibytes)
        {
            error = $"{shown} is above the limit of 64 TiB";
            return false;
        }

        mebibytes = (long)rounded;
        error = null;
        return true;
    }

    [GeneratedRegex(@"^\s*(?<number>[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*(?<unit>[A-Za-z]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
