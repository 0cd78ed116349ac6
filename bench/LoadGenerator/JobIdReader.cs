using System.Globalization;
using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Pulls "id" out of a job response. The API sends ids as decimal strings (they are BIGINTs, past JavaScript's
/// exact range), but a number is accepted too and written the same way, so submit and consume ids always compare.
/// </summary>
/// <remarks>
/// Reads with Utf8JsonReader, building no document: it runs on every submit and consume answer. It is as strict
/// as parsing the whole value was: the object is read to its end (an answer broken after the id is still refused),
/// and a repeated "id" counts by its last occurrence, as JsonElement.TryGetProperty would find it.
/// </remarks>
public static class JobIdReader
{
    /// <summary>The id, or null when the body is not a JSON object with a usable "id".</summary>
    public static string? Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                // Not an object (or, with Read throwing, not JSON): no id.
                return null;
            }

            string? id = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    id = reader.TokenType switch
                    {
                        JsonTokenType.String => Normalize(reader.GetString()),
                        JsonTokenType.Number when reader.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
                        _ => null,
                    };
                }

                // Steps over an object or array value whole; a scalar is already read.
                reader.Skip();
            }

            // The loop ends on the object's end: a truncated or broken body throws from Read before it gets there.
            return id;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString on an id whose escapes or UTF-8 are invalid: no usable id (the document reader threw this out of Read).
            return null;
        }
    }

    private static string? Normalize(string? id) => string.IsNullOrWhiteSpace(id) ? null : id;
}
