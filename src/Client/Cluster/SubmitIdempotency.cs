using System.Text.Json;
using System.Text.RegularExpressions;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Client.Cluster;

/// <summary>
/// Whether a submission may be sent again after a lost answer: only when it names a <c>submit_id</c>, which makes the
/// scheduler answer the job it created the first time instead of creating another. The rule reads the body minimally:
/// JSON — a non-empty string <c>submit_id</c> at the top level; YAML — a top-level (unindented) <c>submit_id:</c>
/// line with a value. A body it cannot read this way counts as not idempotent, so it is never repeated.
/// </summary>
public static partial class SubmitIdempotency
{
    /// <summary>True when <paramref name="submission"/> carries a <c>submit_id</c>.</summary>
    public static bool HasSubmitId(JobSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var body = submission.Body ?? string.Empty;
        if (body.TrimStart().StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                return json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("submit_id", out var id)
                    && id.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(id.GetString());
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return YamlSubmitId().IsMatch(body);
    }

    [GeneratedRegex(@"^submit_id:[ \t]*[^\s#]", RegexOptions.Multiline)]
    private static partial Regex YamlSubmitId();
}
