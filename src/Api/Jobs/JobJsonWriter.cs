using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompassCi.Api.Jobs;

/// <summary>
/// A job written as <see cref="JobJson.Render"/> renders it, straight to the response: the document's members in their
/// order with the server's fields (<see cref="JobJson.Overlay"/>) laid over them, without building the rendered tree
/// and serializing it again. The two answers every job gets: the consume answer (from the stored document's bytes, read
/// with a pooled <see cref="JsonDocument"/>, with the job's <c>secrets</c> and <c>job_secret</c>) and the submit answer
/// (from the document the submit parsed). Unit tests hold both to the tree's output, byte for byte.
/// </summary>
public static class JobJsonWriter
{
    /// <summary>The names matched against every member of a document, in UTF-8 (a <c>string</c> would be transcoded at each match).</summary>
    private static readonly byte[] SecretsName = Encoding.UTF8.GetBytes(JobJson.SecretsField);

    private static readonly byte[] JobSecretName = Encoding.UTF8.GetBytes(JobJson.JobSecretField);

    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>The consume answer: the job, then its own <c>secrets</c> and <paramref name="jobSecret"/>.</summary>
    public static void WriteForTestbox(IBufferWriter<byte> output, JobRecord job, string jobSecret)
    {
        ArgumentNullException.ThrowIfNull(job);
        var fields = new OverlaidFields(JobJson.Overlay(job));
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
            if (member.NameEquals(SecretsName))
            {
                // Moved to the end, after the server's fields, as the tree does when it takes them out and puts them back.
                secrets = member.Value;
            }
            else if (member.NameEquals(JobSecretName))
            {
                // A document's own job_secret keeps its place and shows the real one, as a server-owned field does.
                if (!jobSecretWritten)
                {
                    writer.WriteString(JobJson.JobSecretField, jobSecret);
                    jobSecretWritten = true;
                }
            }
            else if (!fields.TryWrite(writer, member))
            {
                member.WriteTo(writer);
            }
        }

        fields.WriteTheRest(writer);
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

    /// <summary>
    /// The submit answer for one job: the job from the <paramref name="document"/> the submit parsed (left as it is),
    /// without its secrets, then <c>warnings</c> when there are any.
    /// </summary>
    public static void WriteSubmitted(IBufferWriter<byte> output, JobRecord job, JsonObject document, IReadOnlyList<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(warnings);
        var fields = new OverlaidFields(JobJson.Overlay(job));
        var warningsWritten = warnings.Count == 0;
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        foreach (var (name, value) in document)
        {
            if (name == WarningsField && warnings.Count > 0)
            {
                // The answer's warnings take the place of a document's own member of that name, as in the tree.
                if (!warningsWritten)
                {
                    WriteWarnings(writer, warnings);
                    warningsWritten = true;
                }
            }
            else if (name != JobJson.SecretsField && !fields.TryWrite(writer, name))
            {
                WriteMember(writer, name, value);
            }
        }

        fields.WriteTheRest(writer);
        if (!warningsWritten)
        {
            WriteWarnings(writer, warnings);
        }

        writer.WriteEndObject();
    }

    /// <summary>The submit answer's list of warnings (a queue no testbox serves, a quota nearly reached, …).</summary>
    public const string WarningsField = "warnings";

    private static void WriteWarnings(Utf8JsonWriter writer, IReadOnlyList<string> warnings)
    {
        writer.WriteStartArray(WarningsField);
        foreach (var warning in warnings)
        {
            writer.WriteStringValue(warning);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes <paramref name="write"/>'s JSON as the response with <paramref name="status"/>: straight into the response's
    /// pooled pipe (no buffer of its own, no copy), sent as one chunked answer when it is flushed, as a JSON result is.
    /// </summary>
    public static async Task RespondAsync(HttpContext http, int status, Action<IBufferWriter<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(write);
        http.Response.StatusCode = status;
        http.Response.ContentType = JsonContentType;
        write(http.Response.BodyWriter);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    private static void WriteMember(Utf8JsonWriter writer, string name, JsonNode? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    /// <summary>The server's fields of one job: each written once, where the document has it or after its members.</summary>
    private readonly struct OverlaidFields(KeyValuePair<string, JsonNode?>[] fields)
    {
        /// <summary>The fields' names in UTF-8, as a document's member names are held: compared without transcoding each time.</summary>
        private static readonly ConcurrentDictionary<string, byte[]> Utf8Names = new(StringComparer.Ordinal);

        private readonly bool[] _written = new bool[fields.Length];
        private readonly byte[][] _names = [.. fields.Select(f => Utf8Names.GetOrAdd(f.Key, static name => Encoding.UTF8.GetBytes(name)))];

        /// <summary>Writes the field <paramref name="name"/> if the server owns it (once; a repeat is dropped); false for a member of the document's own.</summary>
        public bool TryWrite(Utf8JsonWriter writer, string name)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (fields[i].Key == name)
                {
                    return Write(writer, i);
                }
            }

            return false;
        }

        /// <summary>As <see cref="TryWrite(Utf8JsonWriter, string)"/>, matching the member's name as UTF-8, without reading it into a string.</summary>
        public bool TryWrite(Utf8JsonWriter writer, JsonProperty member)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (member.NameEquals(_names[i]))
                {
                    return Write(writer, i);
                }
            }

            return false;
        }

        private bool Write(Utf8JsonWriter writer, int index)
        {
            if (!_written[index])
            {
                WriteMember(writer, fields[index].Key, fields[index].Value);
                _written[index] = true;
            }

            return true;
        }

        /// <summary>The fields the document did not have, in the overlay's order.</summary>
        public void WriteTheRest(Utf8JsonWriter writer)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (!_written[i])
                {
                    WriteMember(writer, fields[i].Key, fields[i].Value);
                }
            }
        }
    }
}
