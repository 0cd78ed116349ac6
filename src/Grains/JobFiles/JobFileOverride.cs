using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.JobFiles;

/// <summary>
/// One setting from lkp's command line that wins over the job file: <c>testbox=vm-2p8g--x</c>, or
/// <c>-s 'runtime: 600'</c> (also written <c>-s runtime=600</c>). The value stays text, as lkp's submit keeps it.
/// A dotted key (<c>hackbench.mode=threads</c>) sets a value inside a mapping, as lkp's <c>revise_hash</c> does.
/// </summary>
/// <param name="Key">The key, dotted for a nested one.</param>
/// <param name="Value">The value, as written.</param>
public sealed record JobFileOverride(string Key, string Value)
{
    /// <summary>
    /// Reads <c>key=value</c> or <c>key: value</c>: whichever of <c>=</c> and <c>:</c> comes first separates the key
    /// (so <c>url=http://x</c> and <c>cmd: a=b</c> both mean what they say); one space after <c>:</c> is dropped.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out JobFileOverride? parsed, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        parsed = null;
        var at = text.IndexOfAny(['=', ':']);
        if (at <= 0)
        {
            error = $"'{text}' is not key=value (or 'key: value')";
            return false;
        }

        var key = text[..at].Trim();
        var value = text[(at + 1)..];
        if (text[at] == ':' && value.StartsWith(' '))
        {
            value = value[1..];
        }

        if (key.Length == 0 || key.Split('.').Any(part => part.Length == 0))
        {
            error = $"'{text}' has no key before its '{text[at]}', or an empty part in a dotted key";
            return false;
        }

        parsed = new JobFileOverride(key, value);
        error = null;
        return true;
    }

    /// <summary>
    /// Sets this value in <paramref name="document"/>: a plain key at the top level; a dotted key inside the
    /// mappings it names, making the missing ones (a key that holds a scalar is replaced by a mapping there).
    /// </summary>
    public void ApplyTo(JsonObject document) => Set(document, Key, JsonValue.Create(Value));

    /// <summary>Sets <paramref name="key"/> (dotted for a nested one) to <paramref name="value"/> in <paramref name="document"/>.</summary>
    internal static void Set(JsonObject document, string key, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(document);
        var parts = key.Split('.');
        var target = document;
        foreach (var part in parts[..^1])
        {
            if (target[part] is not JsonObject inner)
            {
                inner = [];
                target[part] = inner;
            }

            target = inner;
        }

        target[parts[^1]] = value;
    }
}
