using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Lifecycle;

/// <summary>Reads a job document's <c>timeout</c>, <c>runtime</c> and testbox kind for the deadline rules.</summary>
public static class JobTimingReader
{
    public static JobTiming Read(string document)
    {
        var json = JsonNode.Parse(document) as JsonObject ?? [];
        var kind = Text(json["tbox_type"]) ?? Text(json["hw_type"]);
        return new JobTiming(Seconds(json["timeout"]), Seconds(json["runtime"]), IsPhysical: kind is null or "hw");
    }

    private static int? Seconds(JsonNode? node) => Text(node) is { } text && StageDeadlines.TryParseDuration(text, out var seconds) ? seconds : null;

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        }
        : null;
}
