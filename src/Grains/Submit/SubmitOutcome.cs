using System.Text.Json.Nodes;

namespace CompassCi.Grains.Submit;

/// <summary>
/// What a submit did, for its callers to render: the status, the jobs (each with its document, already parsed, so the
/// answer is rendered without parsing it again), the errors by field, and warnings.
/// </summary>
public sealed record SubmitOutcome(
    SubmitStatus Status,
    IReadOnlyList<(JobRecord Job, JsonObject Document)> Jobs,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<string> Warnings)
{
    /// <summary>A job that is not valid; <paramref name="errors"/> name the fields at fault.</summary>
    public static SubmitOutcome Invalid(IReadOnlyDictionary<string, string[]> errors) => new(SubmitStatus.Invalid, [], errors, []);

    /// <summary>The error names the content type: answer 415 rather than 400.</summary>
    public bool IsUnsupportedContentType => Status == SubmitStatus.Invalid && Errors.ContainsKey(JobDocumentReader.ContentTypeField);
}
