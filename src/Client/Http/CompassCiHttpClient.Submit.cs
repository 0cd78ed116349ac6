using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Client.Http;

/// <summary>Submits: one job (<c>POST /api/v1/jobs</c>) and one lkp job file expanded by the server (<c>?expand=true</c>).</summary>
public sealed partial class CompassCiHttpClient
{
    /// <inheritdoc/>
    public async Task<SubmitResult> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var isYaml = submission.ContentType is { } type && type.Contains("yaml", StringComparison.OrdinalIgnoreCase);
        var content = new StringContent(submission.Body, Encoding.UTF8, isYaml ? "application/yaml" : submission.ContentType ?? "application/json");
        using var response = await SendAsync(HttpMethod.Post, "api/v1/jobs", content, HasSubmitId(submission.Body, isYaml), cancellationToken);
        return await SubmitAnswerAsync(response, cancellationToken);
    }

    /// <summary>
    /// Submits one lkp job file (YAML: several documents, arrays, <c>if role</c> sections) for the server to expand as
    /// lkp's submit does, with <paramref name="overrides"/> as repeated <c>set=key=value</c> (lkp's <c>-s</c>).
    /// <paramref name="submitId"/>, when given, is set as the file's <c>submit_id</c> (the server makes it
    /// <c>&lt;submit_id&gt;.&lt;n&gt;</c> per job), which makes the call safe to repeat and so retried. The result's
    /// <see cref="SubmitResult.Jobs"/> are every job created (every node job of a cluster job), in the file's order.
    /// </summary>
    public async Task<SubmitResult> SubmitJobFileAsync(
        string yaml,
        IEnumerable<KeyValuePair<string, string>>? overrides = null,
        string? submitId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var parameters = new List<KeyValuePair<string, string>> { new("expand", "true") };
        parameters.AddRange((overrides ?? []).Select(o => new KeyValuePair<string, string>("set", $"{o.Key}={o.Value}")));
        if (submitId is not null)
        {
            parameters.Add(new("set", $"submit_id={submitId}"));
        }

        var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await SendAsync(HttpMethod.Post, "api/v1/jobs" + QueryString(parameters), content, submitId is not null || HasSubmitId(yaml, isYaml: true), cancellationToken);
        return await SubmitAnswerAsync(response, cancellationToken);
    }

    /// <summary>A submit's answer as the grain would give it: 201 created, 200 already submitted, refusals with their field errors.</summary>
    private static async Task<SubmitResult> SubmitAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode switch
        {
            HttpStatusCode.Created => SubmitStatus.Created,
            HttpStatusCode.OK => SubmitStatus.AlreadySubmitted,
            HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType => SubmitStatus.Invalid,
            HttpStatusCode.Conflict => SubmitStatus.SubmitIdConflict,
            HttpStatusCode.TooManyRequests => SubmitStatus.QuotaExceeded,
            _ => throw (await Problem.ReadAsync(response, cancellationToken)).ToException(),
        };
        if (status is not (SubmitStatus.Created or SubmitStatus.AlreadySubmitted))
        {
            var problem = await Problem.ReadAsync(response, cancellationToken);
            var errors = problem.Errors.Count > 0 ? problem.Errors : new Dictionary<string, string[]> { ["body"] = [problem.Message] };
            return new SubmitResult(status, [], errors, []);
        }

        var json = await ReadObjectAsync(response, cancellationToken);
        var jobs = new List<JobView>();
        var warnings = new List<string>();
        // A job file's answer is {"jobs": [each submit's answer]}; one submit's answer is the job, with "jobs" (every
        // node job) when it is a cluster's first node.
        var answers = json.ContainsKey("id") ? [json] : json["jobs"] is JsonArray list ? list.OfType<JsonObject>().ToList() : [];
        foreach (var answer in answers)
        {
            if (answer["jobs"] is JsonArray nodes)
            {
                jobs.AddRange(nodes.OfType<JsonObject>().Select(JobJsonReader.Read));
            }
            else
            {
                jobs.Add(JobJsonReader.Read(answer));
            }

            if (answer["warnings"] is JsonArray said)
            {
                warnings.AddRange(said.Select(w => w is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : w?.ToJsonString() ?? ""));
            }
        }

        return new SubmitResult(status, jobs, new Dictionary<string, string[]>(), warnings);
    }

    /// <summary>
    /// Whether the job carries a <c>submit_id</c> (then a repeat is answered with the first job, and the submit may be
    /// retried). JSON is read; YAML is looked at for a top-level <c>submit_id:</c> key, which is how lkp files carry it.
    /// </summary>
    internal static bool HasSubmitId(string body, bool isYaml)
    {
        if (isYaml)
        {
            return YamlSubmitId().IsMatch(body);
        }

        try
        {
            return JsonNode.Parse(body) is JsonObject job && job["submit_id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String;
        }
        catch (JsonException)
        {
            // The server answers a malformed body with a 400; no need to repeat that.
            return false;
        }
    }

    [GeneratedRegex(@"^[""']?submit_id[""']?[ \t]*:[ \t]*\S", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex YamlSubmitId();
}
