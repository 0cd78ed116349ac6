using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace CompassCi.Grains.Json;

/// <summary>
/// Parses a request body as JSON that is text throughout: valid UTF-8, no escaped lone surrogate, no duplicate keys.
/// System.Text.Json parses such bodies without complaint and fails later — on the first read of the bad string
/// (a 500) or by quietly writing U+FFFD back (a stored document that is not what was sent). Checked here, once,
/// they are the client's 400 naming the place.
/// </summary>
public static class StrictJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <summary>The parsed value, or why the body is not JSON text (a message for the field <c>body</c>).</summary>
    public static (JsonNode? Root, string? Error) Parse(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return (null, $"is not valid UTF-8: {InvalidByte(utf8)}");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8, documentOptions: Options);
        }
        catch (JsonException e)
        {
            return (null, $"invalid JSON{Position(e)}: {WithoutPosition(e.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The duplicate-key check reads every key while parsing, and a key that is not text stops it there.
            return (null, NotText("a key"));
        }

        // Only an escaped string can hold a lone surrogate (the raw bytes are valid UTF-8): the tree, which reads every
        // string and spells every path on its way, is walked only to say where one is.
        return AnyEscapedNonText(utf8) && FirstNonText(root, "") is { } path
            ? (null, NotText(path.Length == 0 ? "the value" : path))
            : (root, null);
    }

    /// <summary>Whether some escaped string or key of the (well-formed) <paramref name="utf8"/> does not unescape to text.</summary>
    private static bool AnyEscapedNonText(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string NotText(string where) =>
        $"{where} holds an escaped lone surrogate (\\ud800 to \\udfff without its pair), which is not text";

    /// <summary>Where the first string or key that cannot be read as text is; null when all can.</summary>
    private static string? FirstNonText(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject map:
                List<KeyValuePair<string, JsonNode?>> entries;
                try
                {
                    // The keys are read from the raw text when the object is first used, all at once.
                    entries = [.. map];
                }
                catch (InvalidOperationException)
                {
                    return Join(path, "(a key)");
                }

                foreach (var (key, child) in entries)
                {
                    if (FirstNonText(child, Join(path, key)) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (FirstNonText(list[i], $"{path}[{i}]") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    _ = value.GetValue<string>();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }

            default:
                return null;
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string InvalidByte(ReadOnlySpan<byte> utf8)
    {
        // Utf8.IsValid does not say where; decoding rune by rune does.
        var offset = 0;
        while (offset < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return $"byte 0x{utf8[offset]:X2} at offset {offset.ToString(CultureInfo.InvariantCulture)}";
            }

            offset += consumed;
        }

        return "the text ends inside a character";
    }

    /// <summary>System.Text.Json counts lines and bytes from 0; people count from 1.</summary>
    private static string Position(JsonException e) =>
        e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : string.Empty;

    /// <summary>Drops the " LineNumber: 0 | BytePositionInLine: 5." tail, which <see cref="Position"/> already says better.</summary>
    private static string WithoutPosition(string message)
    {
        var tail = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return tail < 0 ? message : message[..tail];
    }
}
