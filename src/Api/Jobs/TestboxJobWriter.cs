using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Api.Jobs;

/// <summary>
/// The consume answer: a job as its testbox receives it — <see cref="JobJson.Render"/>'s fields, then the job's own
/// <c>secrets</c> and its <c>job_secret</c> — written from the stored document's bytes. The document is read with a
/// pooled <see cref="JsonDocument"/> and copied member by member, not built into a tree of nodes and written out again,
/// which was a sixth of what every hand-out allocated. Unit tests hold its output to the tree's, byte for byte.
/// </summary>
public static class TestboxJobWriter
{
    /// <summary>Writes <paramref name="job"/> with its secrets and <paramref name="jobSecret"/> to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, JobRecord job, string jobSecret)
    {
        ArgumentNullException.ThrowIfNull(job);
        var overlay = JobJson.Overlay(job);
        var written = new bool[overlay.Length];
        using var document = JsonDocument.Parse(job.Document);
        using var writer = new Utf8JsonWriter(output);
        var root = document.RootElement;
        // As JobJson.Render: a document that is not an object counts as an empty one.
        var members = root.ValueKind == JsonValueKind.Object ? root.EnumerateObject() : default;
        JsonElement? secrets = null;
        var jobSecretWritten = false;
        writer.WriteStartObject();
        foreach (var member in members)
        {
            if (member.NameEquals(JobJson.SecretsField))
            {
                // Moved to the end, after the server's fields, as the tree does when it takes them out and puts them back.
                secrets = member.Value;
                continue;
            }

            if (member.NameEquals(JobJson.JobSecretField))
            {
                // A document's own job_secret keeps its place and shows the real one, as a server-owned field does.
                if (!jobSecretWritten)
                {
                    writer.WriteString(JobJson.JobSecretField, jobSecret);
                    jobSecretWritten = true;
                }

                continue;
            }

            var owned = Array.FindIndex(overlay, field => member.NameEquals(field.Key));
            if (owned < 0)
            {
                member.WriteTo(writer);
            }
            else if (!written[owned])
            {
                // A field the server owns keeps the document's place and takes the server's value.
                WriteField(writer, overlay[owned]);
                written[owned] = true;
            }
        }

        for (var i = 0; i < overlay.Length; i++)
        {
            if (!written[i])
            {
                WriteField(writer, overlay[i]);
            }
        }

        // JSON null counts as no secrets, as in the tree (where a member holding null reads as missing).
        if (secrets is { ValueKind: not JsonValueKind.Null } value)
        {
            writer.WritePropertyName(JobJson.SecretsField);
            value.WriteTo(writer);
        }

        if (!jobSecretWritten)
        {
            writer.WriteString(JobJson.JobSecretField, jobSecret);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes the consume answer as the response: 200, JSON, with its length.</summary>
    public static async Task WriteAsync(HttpContext http, JobRecord job, string jobSecret)
    {
        ArgumentNullException.ThrowIfNull(http);
        var body = new ArrayBufferWriter<byte>(job.Document.Length + 2048);
        Write(body, job, jobSecret);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = body.WrittenCount;
        await http.Response.Body.WriteAsync(body.WrittenMemory, http.RequestAborted);
    }

    private static void WriteField(Utf8JsonWriter writer, KeyValuePair<string, JsonNode?> field)
    {
        writer.WritePropertyName(field.Key);
        if (field.Value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            field.Value.WriteTo(writer);
        }
    }
}
