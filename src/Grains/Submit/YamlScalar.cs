using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CompassCi.Grains.Submit;

/// <summary>
/// Types a plain YAML scalar by the YAML 1.2 core schema: null, booleans, integers and floats; anything
/// else is a string. YAML 1.1's <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c> stay strings, so the job keeps
/// what was written.
/// </summary>
internal static partial class YamlScalar
{
    /// <summary>The JSON value of plain scalar <paramref name="text"/>; null for a YAML null.</summary>
    public static JsonNode? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (DecimalInteger().IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? JsonValue.Create(value)
                : JsonValue.Create(text);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) || text.StartsWith("0x", StringComparison.Ordinal))
        {
            return RadixInteger(text) is { } value ? JsonValue.Create(value) : JsonValue.Create(text);
        }

        // .inf and .nan are floats to YAML, but JSON has no way to write them: they stay strings.
        if (Float().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    /// <summary><c>0o17</c> or <c>0x1F</c>; null when not one, or too big for a long (then it stays a string).</summary>
    private static long? RadixInteger(string text)
    {
        var (digits, radix) = (text[2..], text[1] == 'o' ? 8 : 16);
        var valid = radix == 8 ? OctalDigits().IsMatch(digits) : HexDigits().IsMatch(digits);
        if (!valid)
        {
            return null;
        }

        long value = 0;
        foreach (var digit in digits)
        {
            // Lower-casing an ASCII letter is setting bit 0x20; the regexes above admit nothing else.
            var d = digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10;
            if (value > (long.MaxValue - d) / radix)
            {
                return null;
            }

            value = value * radix + d;
        }

        return value;
    }

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^[0-7]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OctalDigits();

    [GeneratedRegex("^[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HexDigits();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Float();
}
