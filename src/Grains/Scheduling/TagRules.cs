using System.Text.RegularExpressions;

namespace CompassCi.Grains.Scheduling;

/// <summary>
/// What a tag name and value may be, and which names are aliases. Shared by jobs and testboxes so that
/// both sides of a match are spelled the same way.
/// </summary>
internal static partial class TagRules
{
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 255;

    /// <summary>lkp-tests and compass-ci use both spellings; matching needs one.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["os_arch"] = "arch",
        ["hw_type"] = "tbox_type",
    };

    /// <summary>The name a tag is stored and matched under.</summary>
    public static string Canonical(string key) => Aliases.GetValueOrDefault(key, key);

    public static bool IsAlias(string key) => Aliases.ContainsKey(key);

    /// <summary>Why <paramref name="key"/> cannot be a tag name, or null when it can.</summary>
    public static string? KeyError(string key) =>
        KeyPattern().IsMatch(key)
            ? null
            : $"\"{key}\" is not a tag name; use 1 to {MaxKeyLength} characters from A-Z, a-z, 0-9, '_', '.' and '-'";

    /// <summary>Why <paramref name="value"/> cannot be a tag value, or null when it can.</summary>
    public static string? ValueError(string value)
    {
        if (value.Length == 0)
        {
            return "must not be empty";
        }

        if (value.Length > MaxValueLength)
        {
            return $"is {value.Length} characters long; the limit is {MaxValueLength}";
        }

        // Commas separate the tags of a queue key, so a value holding one would read back as two tags.
        if (value.Contains(',', StringComparison.Ordinal))
        {
            return $"\"{value}\" must not contain ','";
        }

        return value.Any(char.IsControl) ? "must not contain control characters" : null;
    }

    /// <summary>
    /// Why <paramref name="value"/> cannot be the value of tag <paramref name="key"/>: the general rules, then those of
    /// tags that are also columns (machine names; <c>arch</c>, whose column is narrower than a tag value).
    /// </summary>
    public static string? ValueError(string key, string value) =>
        ValueError(value) ?? key switch
        {
            "testbox" or "tbox_group" => Hosts.MachineName.Error(value),
            "arch" when value.Length > Storage.ColumnLimits.Arch => $"is {value.Length} characters long; the limit is {Storage.ColumnLimits.Arch}",
            _ => null,
        };

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
