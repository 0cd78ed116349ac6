using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The calls the extraction phase makes besides submit and consume: where a job's results go, the upload itself
/// (a WebDAV PUT with the JOBID cookie, as lkp-tests' upload.sh sends it), finish, the stats, and the pipeline list.
/// Each records its latency and failures in the caller's tally; none is retried (a failure shows in the check).
/// </summary>
public sealed class ResultsApi(HttpClient client, Uri baseUrl)
{
    /// <summary>The most the pipeline list gives per page.</summary>
    public const int PageSize = 1000;

    /// <summary>An answer that is not the JSON the API documents (not JSON, a field missing or of another kind).</summary>
    public static bool IsUnreadable(Exception exception) =>
        exception is JsonException or KeyNotFoundException or InvalidOperationException;

    private static readonly byte[] FinishBody = """{"health":"success"}"""u8.ToArray();

    /// <summary>The job's result_root from GET /api/v1/jobs/{id}, or null (recorded as an error).</summary>
    public async Task<string?> ResultRootAsync(string id, WorkerTally tally, CancellationToken deadline)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(baseUrl, $"api/v1/jobs/{id}"), deadline);
        var reply = await response.Content.ReadAsByteArrayAsync(deadline);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            tally.RecordError($"locate: {RequestFailure.Describe(response.StatusCode)}");
            return null;
        }

        using var job = JsonDocument.Parse(reply);
        if (!job.RootElement.TryGetProperty("result_root", out var root) || root.GetString() is not { Length: > 1 } resultRoot || !resultRoot.StartsWith('/'))
        {
            tally.RecordError("locate: the job has no absolute \"result_root\"");
            return null;
        }

        tally.Latencies.Add(Stopwatch.GetTimestamp() - started);
        tally.Ids.Add(id);
        return resultRoot;
    }

    /// <summary>PUT &lt;result_root&gt;/&lt;file&gt; with <c>Cookie: JOBID=&lt;id&gt;</c>; true on 201 or 204.</summary>
    public async Task<bool> PutAsync(string id, string resultRoot, string fileName, byte[] body, WorkerTally tally, CancellationToken deadline)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(baseUrl, $"{resultRoot.TrimStart('/')}/{fileName}")) { Content = new ByteArrayContent(body) };
        request.Headers.Add("Cookie", $"JOBID={id}");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline);
        await response.Content.ReadAsByteArrayAsync(deadline);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent))
        {
            tally.RecordError($"upload: {RequestFailure.Describe(response.StatusCode)}");
            return false;
        }

        tally.Latencies.Add(Stopwatch.GetTimestamp() - started);
        tally.Ids.Add(id);
        return true;
    }

    /// <summary>POST /api/v1/jobs/{id}/finish as a successful run; the Stopwatch timestamp of the 200, or null.</summary>
    public async Task<long?> FinishAsync(string id, WorkerTally tally, CancellationToken deadline)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, $"api/v1/jobs/{id}/finish")) { Content = new ByteArrayContent(FinishBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline);
        await response.Content.ReadAsByteArrayAsync(deadline);
        var answered = Stopwatch.GetTimestamp();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            tally.RecordError($"finish: {RequestFailure.Describe(response.StatusCode)}");
            return null;
        }

        tally.Latencies.Add(answered - started);
        tally.Ids.Add(id);
        return answered;
    }

    /// <summary>GET /api/v1/jobs/{id}/stats: the parsed answer (the caller disposes it), or null (recorded as an error).</summary>
    public async Task<JsonDocument?> StatsAsync(string id, WorkerTally tally, CancellationToken deadline)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(baseUrl, $"api/v1/jobs/{id}/stats"), deadline);
        var reply = await response.Content.ReadAsByteArrayAsync(deadline);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            tally.RecordError($"stats: {RequestFailure.Describe(response.StatusCode)}");
            return null;
        }

        tally.Latencies.Add(Stopwatch.GetTimestamp() - started);
        tally.Ids.Add(id);
        return JsonDocument.Parse(reply);
    }

    /// <summary>
    /// Every job id GET /api/v1/pipeline?state=<paramref name="state"/> lists, page by page (next as before);
    /// null when a page failed (recorded as an error).
    /// </summary>
    public async Task<HashSet<string>?> ListPipelineAsync(string state, WorkerTally tally, CancellationToken deadline)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? before = null;
        do
        {
            var query = $"api/v1/pipeline?state={state}&limit={PageSize}" + (before is null ? "" : $"&before={Uri.EscapeDataString(before)}");
            using var response = await client.GetAsync(new Uri(baseUrl, query), deadline);
            var reply = await response.Content.ReadAsByteArrayAsync(deadline);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                tally.RecordError($"pipeline list: {RequestFailure.Describe(response.StatusCode)}");
                return null;
            }

            using var page = JsonDocument.Parse(reply);
            foreach (var job in page.RootElement.GetProperty("jobs").EnumerateArray())
            {
                ids.Add(job.GetProperty("job_id").GetString()!);
            }

            before = page.RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (before is not null);

        return ids;
    }
}
