using System.Globalization;
using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Pulls "id" out of a job response. The API sends ids as decimal strings (they are BIGINTs, past JavaScript's
/// exact range), but a number is accepted too and written the same way, so submit and consume ids always compare.
/// </summary>
public static class JobIdReader
{
    /// <summary>The id, or null when the body is not a JSON object with a usable "id".</summary>
    public static string? Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("id", out var id))
            {
                return null;
            }

            return id.ValueKind switch
            {
                JsonValueKind.String => Normalize(id.GetString()),
                JsonValueKind.Number when id.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Normalize(string? id) => string.IsNullOrWhiteSpace(id) ? null : id;
}
