using System.IO.Compression;
using System.Text.Json;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// One monitor's samples as the testbox's <c>sbin/dump-stat</c> wrote them: <c>&lt;monitor&gt;.json</c> (or
/// <c>.json.gz</c>), a JSON object whose keys are already <c>&lt;monitor&gt;.&lt;stat&gt;</c> and whose values are
/// arrays of samples (or, for dump-stat's <c>.message</c>/<c>.log</c> keys, one string).
/// </summary>
public sealed class MonitorFile
{
    private MonitorFile(string monitor, string fileName, IReadOnlyList<KeyValuePair<string, JsonElement>> columns)
    {
        Monitor = monitor;
        FileName = fileName;
        Columns = columns;
    }

    /// <summary>The monitor's name: the file name without <c>.json</c> / <c>.json.gz</c>.</summary>
    public string Monitor { get; }

    public string FileName { get; }

    /// <summary>The keys in file order. A repeated key keeps its first place and its last value, as Ruby's JSON does.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Columns { get; }

    /// <summary>
    /// Reads and parses the file, at most <paramref name="maxBytes"/> bytes of JSON (after gunzip, so a small
    /// archive cannot unpack into an unbounded one). A file that cannot be used gives its reason instead.
    /// </summary>
    public static async Task<(MonitorFile? File, string? Problem)> ReadAsync(string path, string monitor, long maxBytes, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(path);
        byte[]? bytes;
        try
        {
            bytes = await ReadCappedAsync(path, maxBytes, cancellationToken);
        }
        catch (InvalidDataException error)
        {
            return (null, $"is not a gzip file: {error.Message}");
        }

        if (bytes is null)
        {
            return (null, $"holds more than {maxBytes} bytes of JSON (CompassCi:Extraction:MaxFileBytes); skipped");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object of sample arrays; skipped");
            }

            var columns = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                columns[property.Name] = property.Value.Clone();
            }

            return (new MonitorFile(monitor, fileName, [.. columns]), null);
        }
        catch (JsonException error)
        {
            return (null, $"is not JSON: {error.Message}");
        }
    }

    /// <summary>The file's bytes (gunzipped for .gz), or null when there are more than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadCappedAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using Stream source = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return buffer.ToArray();
    }
}
