using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>The few REST calls the tests make, over a real HTTP connection.</summary>
public sealed class SchedulerClient(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>Submits a JSON job and returns the created job; fails the test on anything but 201.</summary>
    public async Task<JsonObject> SubmitAsync(JsonObject job, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync("/api/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new HttpRequestException($"submit answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        return (JsonObject)JsonNode.Parse(body)!;
    }

    /// <summary>Submits once; answers the status and the parsed body. Throws only when no answer arrives.</summary>
    public async Task<(HttpStatusCode Status, JsonObject? Body)> TrySubmitAsync(JsonObject job, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync("/api/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject);
    }

    /// <summary>Consumes; null on 204. Throws on any other failure (the caller may retry with the same request id).</summary>
    public async Task<JsonObject?> ConsumeAsync(string testbox, IReadOnlyDictionary<string, string> tags, double memoryGb, int waitSeconds, string? requestId = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["tags"] = new JsonObject(tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)JsonValue.Create(t.Value)))),
            ["memory_gb"] = memoryGb,
            ["wait_seconds"] = waitSeconds,
        };
        if (requestId is not null)
        {
            body["request_id"] = requestId;
        }

        using var response = await http.PostAsync($"/api/v1/testboxes/{Uri.EscapeDataString(testbox)}/consume", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"consume answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return (JsonObject)JsonNode.Parse(text)!;
    }

    public async Task<JsonObject?> GetJobAsync(string id)
    {
        using var response = await http.GetAsync($"/api/v1/jobs/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Posts a JSON body; answers the status and the parsed body (null when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, JsonObject body)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Moves a held job to <paramref name="stage"/>; fails the test unless it is accepted.</summary>
    public async Task StageAsync(string id, string stage, string? testbox = null)
    {
        var (status, body) = await PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = stage, ["testbox"] = testbox });
        if (status != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"stage {stage} answered {(int)status}: {body?.ToJsonString()}", null, status);
        }
    }

    /// <summary>One heartbeat; answers the scheduler's reply (held jobs, abort flags).</summary>
    public async Task<JsonObject> HeartbeatAsync(string testbox, int intervalSeconds)
    {
        var (status, body) = await PostAsync($"/api/v1/testboxes/{Uri.EscapeDataString(testbox)}/heartbeat", new JsonObject { ["interval_seconds"] = intervalSeconds });
        return status == HttpStatusCode.OK
            ? (JsonObject)body!
            : throw new HttpRequestException($"heartbeat answered {(int)status}: {body?.ToJsonString()}", null, status);
    }

    public async Task<JsonArray> QueuesAsync() =>
        (JsonArray)JsonNode.Parse(await http.GetStringAsync("/api/v1/queues"))!;

    /// <summary>Sum of pending jobs over every queue.</summary>
    public async Task<int> PendingAsync() =>
        (await QueuesAsync()).Sum(q => q!["pending"]!.GetValue<int>());
}
