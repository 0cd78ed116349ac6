using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Client.Http;

/// <summary>An RFC 9457 problem details answer (<c>title</c>, <c>detail</c>, <c>errors</c>), read leniently: a proxy's HTML error page is a problem too.</summary>
internal sealed record Problem(int Status, string Message, IReadOnlyDictionary<string, string[]> Errors)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // Not JSON: the status and the text say what there is to say.
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (json?["errors"] is JsonObject fields)
        {
            foreach (var (field, messages) in fields)
            {
                errors[field] = messages switch
                {
                    JsonArray list => [.. list.Select(m => m is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : m?.ToJsonString() ?? "")],
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
                    _ => [messages?.ToJsonString() ?? ""],
                };
            }
        }

        var detail = json is null ? null : JobJsonReader.Text(json, "detail") ?? JobJsonReader.Text(json, "error");
        var title = json is null ? null : JobJsonReader.Text(json, "title");
        var message = detail ?? title ?? (string.IsNullOrWhiteSpace(text) ? $"{status} {response.ReasonPhrase}" : $"{status} {response.ReasonPhrase}: {Shorten(text)}");
        return new Problem(status, message, errors);
    }

    public CompassCiException ToException() => new(Status, Message, Errors);

    private static string Shorten(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
}
