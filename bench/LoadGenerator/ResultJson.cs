using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CompassCi.LoadGenerator;

/// <summary>Writes a report to --json when one was asked for.</summary>
public static class ResultJson
{
    public static async Task WriteAsync<T>(string? path, T report, JsonTypeInfo<T> type, TextWriter output)
    {
        if (path is null)
        {
            return;
        }

        await using (var file = File.Create(path))
        await using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
        {
            JsonSerializer.Serialize(writer, report, type);
        }

        await output.WriteLineAsync($"results written to {path}");
    }
}
