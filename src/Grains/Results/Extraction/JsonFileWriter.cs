using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// Writes a JSON file the way lkp's <c>save_json</c> does: the whole text to a dot-named temporary file beside it,
/// then renamed over the target, so a reader (or a crash) never sees half a file. The layout is Ruby's
/// <c>JSON.pretty_generate</c>: two-space indents, one array element a line, non-ASCII text as it is.
/// </summary>
public static class JsonFileWriter
{
    private static readonly JsonWriterOptions Layout = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(string path, JsonObject content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await using (var writer = new Utf8JsonWriter(file, Layout))
                {
                    content.WriteTo(writer);
                    await writer.FlushAsync(cancellationToken);
                }

                // On disk before the rename, or a crash could leave the new name on empty blocks.
                RandomAccess.FlushToDisk(file.SafeFileHandle);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
