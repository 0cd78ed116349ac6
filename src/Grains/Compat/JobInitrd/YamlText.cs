using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>
/// JSON written as block-style YAML, one <c>key: value</c> per line, because lkp reads its job file with line tools
/// as well as with a YAML parser (<c>grep '^rootfs:'</c>, <c>awk '/^suite: /{print $2}'</c>, secrets.yaml read with
/// <c>while read key val</c>). A string stays plain where YAML reads it back as that same string, and is double-quoted
/// (with escapes, so it stays on one line) otherwise: a value that YAML would take for a number, a boolean or null,
/// or one with characters that mean something to YAML.
/// </summary>
public static partial class YamlText
{
    private const int Indent = 2;

    /// <summary>The mapping <paramref name="map"/> as a YAML document (no <c>---</c>), keys in their order.</summary>
    public static string Of(JsonObject map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var text = new StringBuilder();
        if (map.Count == 0)
        {
            return "{}\n";
        }

        WriteMapping(text, map, 0);
        return text.ToString();
    }

    /// <summary>A string as a YAML scalar: plain when that reads back as the same string, else double-quoted.</summary>
    public static string Scalar(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsPlainSafe(value) ? value : DoubleQuoted(value);
    }

    private static void WriteMapping(StringBuilder text, JsonObject map, int indent)
    {
        foreach (var (key, value) in map)
        {
            text.Append(' ', indent).Append(Scalar(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteSequence(StringBuilder text, JsonArray items, int indent)
    {
        foreach (var item in items)
        {
            text.Append(' ', indent).Append('-');
            WriteValue(text, item, indent);
        }
    }

    // After "key:" or "-": a scalar on the same line, a non-empty collection on the lines below, indented.
    private static void WriteValue(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } map:
                text.Append('\n');
                WriteMapping(text, map, indent + Indent);
                break;
            case JsonArray { Count: > 0 } items:
                text.Append('\n');
                WriteSequence(text, items, indent + Indent);
                break;
            case JsonObject:
                text.Append(" {}\n");
                break;
            case JsonArray:
                text.Append(" []\n");
                break;
            case null:
                // "key:" alone is null.
                text.Append('\n');
                break;
            default:
                text.Append(' ').Append(ScalarOf(value.AsValue())).Append('\n');
                break;
        }
    }

    private static string ScalarOf(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => Scalar(value.GetValue<string>()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        // A JSON number is a YAML number as written (integers and decimals; an exponent is rare in a job).
        _ => value.ToJsonString(),
    };

    private static bool IsPlainSafe(string value) =>
        PlainCharacters().IsMatch(value)
        && !value.Contains(": ", StringComparison.Ordinal)
        && !value.EndsWith(':')
        && !value.EndsWith(' ')
        && !NotAString().IsMatch(value);

    private static string DoubleQuoted(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                case var c when c < 0x20 || c == 0x7F || c is 0x85 or 0x2028 or 0x2029 || (c >= 0x80 && c < 0xA0) || c == 0xFEFF:
                    // Control and line-breaking characters are escaped so the value stays on its line.
                    text.Append(c <= 0xFF ? "\\x" + c.ToString("X2", CultureInfo.InvariantCulture) : "\\u" + c.ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(rune.ToString()); break;
            }
        }

        return text.Append('"').ToString();
    }

    // Letters, digits and a few punctuation marks that mean nothing to YAML in a block value; the first character
    // is not an indicator (- ? : , [ ] { } # & * ! | > ' " % @ `) and not a space.
    [GeneratedRegex(@"^[A-Za-z0-9_./(][A-Za-z0-9_./()+=,:@%~^ -]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainCharacters();

    // What YAML 1.1 or 1.2 would resolve to something other than a string: null, booleans (yes/no/on/off too),
    // numbers (with '_', sexagesimal, hex, octal, binary, .inf/.nan) and dates.
    [GeneratedRegex(
        @"^((null|true|false|yes|no|on|off|y|n)|[0-9][0-9_]*(\.[0-9._]*)?([eE][-+]?[0-9]+)?|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|0[xob][0-9a-f_]+|\.[0-9].*|\.(inf|nan)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([tT ].*)?)\z",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NotAString();
}
