using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Json;
using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Submit;

/// <summary>
/// Turns a submitted job body, JSON or YAML, into the JSON document that is stored, checking what every
/// job must have and dropping what only the server may set.
/// </summary>
public static class JobDocumentReader
{
    /// <summary>The error field of a content type the reader does not take (answered 415 rather than 400).</summary>
    public const string ContentTypeField = "content_type";

    /// <summary>Fields a job must have, each a non-empty string of printable characters that fits its column.</summary>
    internal static readonly IReadOnlyList<(string Field, int Limit)> RequiredFields = [("suite", ColumnLimits.Suite), ("my_account", ColumnLimits.Account)];

    /// <summary>
    /// Fields the server owns; a client's values are dropped, as compass-ci does on submit. <c>my_token</c> (compass-ci
    /// clients send the account's token in the job) has been checked by then and is never stored or echoed.
    /// </summary>
    internal static readonly IReadOnlyList<string> ServerOwnedFields = ["id", "job_stage", "job_health", "job_state", "stats", "errid", "my_token"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a job from <paramref name="body"/>, written as <paramref name="contentType"/> says: JSON
    /// (<c>application/json</c>, <c>text/json</c>, <c>application/*+json</c>, or no Content-Type) or YAML
    /// (<c>application/yaml</c>, <c>application/x-yaml</c>, <c>text/yaml</c>, <c>text/x-yaml</c>).
    /// Errors name <c>content_type</c>, <c>body</c>, or the job field at fault.
    /// </summary>
    public static JobDocumentResult Read(ReadOnlyMemory<byte> body, string? contentType)
    {
        var parsed = ReadObject(body, contentType, "one job");
        return parsed.Document is { } job ? Validate(job) : parsed;
    }

    /// <summary>
    /// Checks what every job must have (non-empty <c>suite</c> and <c>my_account</c>) and drops what only the server
    /// may set, in place. For documents that did not come through <see cref="Read"/> (configured health checks).
    /// </summary>
    public static JobDocumentResult Validate(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, limit) in RequiredFields)
        {
            if (RequiredStringError(job[field], limit) is { } problem)
            {
                errors[field] = [problem];
            }
        }

        if (errors.Count > 0)
        {
            return new JobDocumentResult(null, errors);
        }

        foreach (var field in ServerOwnedFields)
        {
            job.Remove(field);
        }

        return new JobDocumentResult(job, errors);
    }

    /// <summary>
    /// Reads any JSON object or YAML mapping from <paramref name="body"/> (a job, a cluster spec), with the same
    /// content types and error fields as <see cref="Read"/> but no job rules; <paramref name="what"/> names it in errors.
    /// </summary>
    public static JobDocumentResult ReadObject(ReadOnlyMemory<byte> body, string? contentType, string what)
    {
        if (!JobContentType.TryResolve(contentType, out var format, out var typeError))
        {
            return Failure(ContentTypeField, typeError);
        }

        var bytes = SkipByteOrderMark(body.Span);
        if (bytes.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return Failure("body", $"is empty; send {what}");
        }

        var (root, parseError) = format == JobBodyFormat.Json ? ParseJson(bytes) : ParseYaml(bytes);
        if (parseError is not null)
        {
            return Failure("body", parseError);
        }

        return root is JsonObject document
            ? new JobDocumentResult(document, new Dictionary<string, string[]>())
            : Failure("body", $"must be {what}: a JSON object or a YAML mapping, not {Describe(root)}");
    }

    private static (JsonNode? Root, string? Error) ParseJson(ReadOnlySpan<byte> bytes) => StrictJson.Parse(bytes);

    private static (JsonNode? Root, string? Error) ParseYaml(ReadOnlySpan<byte> bytes)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, "is not valid UTF-8");
        }

        return YamlJobParser.TryParse(text, out var root, out var error) ? (root, null) : (null, error);
    }

    private static ReadOnlySpan<byte> SkipByteOrderMark(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;

    private static string? RequiredStringError(JsonNode? node, int limit)
    {
        if (node is null)
        {
            return "is required";
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            return $"must be a string, not {node.ToJsonString()}";
        }

        var text = node.GetValue<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return "must not be empty";
        }

        if (text.Length > limit)
        {
            return $"is {text.Length} characters long; the limit is {limit}";
        }

        // A name that holds NUL or a line break breaks log lines, shell variables on the testbox, and C strings.
        return text.Any(char.IsControl) ? "must not contain control characters (NUL, line breaks, tabs, …)" : null;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        _ => $"the value {node.ToJsonString()}",
    };

    private static JobDocumentResult Failure(string field, string message) =>
        new(null, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });
}
