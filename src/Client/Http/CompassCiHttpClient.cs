using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Contracts.Jobs;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace CompassCi.Client.Http;

/// <summary>
/// <see cref="ICompassCiClient"/> over the REST API. Requests safe to repeat (reads, watches, a submit with a
/// <c>submit_id</c>, a consume with a <c>request_id</c>) are retried on 5xx, 429, 408, network failures and attempt
/// timeouts, honouring <c>Retry-After</c>, within <see cref="CompassCiHttpOptions.TotalBudget"/>; others are sent
/// once. Make one with <c>services.AddCompassCiHttpClient(…)</c>, or <c>new CompassCiHttpClient(options)</c> in a tool.
/// Transport failures that outlast the retries are <see cref="CompassCiException"/>s with status 0.
/// </summary>
public sealed partial class CompassCiHttpClient : ICompassCiClient
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly CompassCiHttpOptions _options;
    private readonly TimeProvider _time;

    /// <summary>
    /// A client of its own: its <see cref="HttpClient"/> runs the same resilience pipeline as the DI registration does.
    /// <paramref name="innerHandler"/> (default: a <see cref="SocketsHttpHandler"/>) sends each attempt.
    /// </summary>
    public CompassCiHttpClient(CompassCiHttpOptions options, HttpMessageHandler? innerHandler = null)
        : this(CreateHttpClient(options, innerHandler), options, ownsHttp: true)
    {
    }

    /// <summary>
    /// A client over an <see cref="HttpClient"/> that already runs the resilience pipeline (what
    /// <c>AddCompassCiHttpClient</c> hands out); its base address and token are set from <paramref name="options"/>.
    /// </summary>
    public CompassCiHttpClient(HttpClient http, CompassCiHttpOptions options)
        : this(http, options, ownsHttp: false)
    {
    }

    private CompassCiHttpClient(HttpClient http, CompassCiHttpOptions options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _ownsHttp = ownsHttp;
        _options = options;
        _time = TimeProvider.System;
        Prepare(_http, options);
    }

    /// <summary>Points <paramref name="http"/> at the scheduler with the caller's token; the pipeline's timeouts replace HttpClient's own.</summary>
    internal static void Prepare(HttpClient http, CompassCiHttpOptions options)
    {
        http.BaseAddress = options.RequireBaseAddress();
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.Authorization = options.Token is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token) : null;
    }

    private static HttpClient CreateHttpClient(CompassCiHttpOptions options, HttpMessageHandler? innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pipeline = HttpResilience.Configure(new ResiliencePipelineBuilder<HttpResponseMessage>(), options).Build();
        var handler = new ResilienceHandler(pipeline)
        {
            // Connections are recycled now and then so that a restarted server behind the same name is found again.
            InnerHandler = new BufferingHandler
            {
                InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) },
            },
        };
        return new HttpClient(handler, disposeHandler: true);
    }

    /// <inheritdoc/>
    public async Task<JobView?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/v1/jobs/{Uri.EscapeDataString(id)}", null, idempotent: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return JobJsonReader.Read(await ReadObjectAsync(response, cancellationToken));
    }

    /// <summary>
    /// GETs any route of the REST API (a path relative to the base address, e.g. <c>api/v1/queues</c>) as JSON, with
    /// the same retries as every read: for the views <see cref="ICompassCiClient"/> has no typed call for (queues,
    /// testboxes, hosts, clusters, fair share, why). A refusal is a <see cref="CompassCiException"/>; an empty 2xx
    /// answer is an empty object.
    /// </summary>
    public async Task<JsonNode> GetJsonAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, idempotent: true, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw (await Problem.ReadAsync(response, cancellationToken)).ToException();
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
        }
        catch (JsonException error)
        {
            throw new CompassCiException($"the answer is not JSON: {error.Message}", error);
        }
    }

    /// <inheritdoc/>
    public async Task<JobPage> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<KeyValuePair<string, string>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parameters.Add(new(name, value));
            }
        }

        Add("job_stage", query.Stage);
        Add("my_account", query.MyAccount);
        Add("suite", query.Suite);
        Add("tbox_group", query.TboxGroup);
        Add("testbox", query.Testbox);
        Add("limit", query.Limit.ToString(CultureInfo.InvariantCulture));
        Add("after", query.After);
        using var response = await SendAsync(HttpMethod.Get, "api/v1/jobs" + QueryString(parameters), null, idempotent: true, cancellationToken);
        var json = await ReadObjectAsync(response, cancellationToken);
        var jobs = json["jobs"] is JsonArray list ? list.OfType<JsonObject>().Select(JobJsonReader.Read).ToList() : [];
        return new JobPage(jobs, JobJsonReader.Text(json, "next"));
    }

    /// <inheritdoc/>
    public async Task<CancelResult> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        // Not retried: a cancel whose answer was lost may have been done, and the caller should look before asking again.
        using var response = await SendAsync(HttpMethod.Post, $"api/v1/jobs/{Uri.EscapeDataString(id)}/cancel", null, idempotent: false, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return new CancelResult(CancelStatus.NotFound, null, (await Problem.ReadAsync(response, cancellationToken)).Message);
            case HttpStatusCode.Conflict:
                return new CancelResult(CancelStatus.Conflict, null, (await Problem.ReadAsync(response, cancellationToken)).Message);
            default:
                var job = JobJsonReader.Read(await ReadObjectAsync(response, cancellationToken));
                return new CancelResult(job.AbortRequested && job.Health is null ? CancelStatus.AbortRequested : CancelStatus.Cancelled, job, null);
        }
    }

    /// <inheritdoc/>
    public Task<JobView> RenewAsync(string id, int seconds, string? testbox = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "renew", new JsonObject { ["seconds"] = seconds, ["testbox"] = testbox }, cancellationToken);

    /// <inheritdoc/>
    public Task<JobView> ChangeStageAsync(string id, string stage, string? testbox = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "stage", new JsonObject { ["stage"] = stage, ["testbox"] = testbox }, cancellationToken);

    /// <inheritdoc/>
    public Task<JobView> FinishAsync(string id, string health, CrashReport? crash = null, string? testbox = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["health"] = health, ["testbox"] = testbox };
        if (crash is not null)
        {
            body["crash"] = new JsonObject
            {
                ["notify"] = crash.Notify,
                ["cause"] = crash.Cause,
                ["fatal"] = crash.Fatal,
                ["keyvals"] = new JsonObject(crash.Keyvals.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)JsonValue.Create(k.Value)))),
            };
        }

        return ChangeAsync(id, "finish", body, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ConsumeResult> ConsumeAsync(ConsumeAsk ask, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ask);
        var body = new JsonObject
        {
            ["tags"] = new JsonObject(ask.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)JsonValue.Create(t.Value)))),
            ["wait_seconds"] = ask.WaitSeconds,
        };
        if (ask.MemoryGb is { } memory)
        {
            body["memory_gb"] = memory;
        }

        if (ask.RequestId is not null)
        {
            body["request_id"] = ask.RequestId;
        }

        if (ask.Host is not null)
        {
            body["host"] = ask.Host;
        }

        using var response = await SendAsync(
            HttpMethod.Post,
            $"api/v1/testboxes/{Uri.EscapeDataString(ask.Testbox)}/consume",
            Json(body),
            idempotent: ask.RequestId is not null,
            cancellationToken,
            extraAttemptTime: TimeSpan.FromSeconds(Math.Max(ask.WaitSeconds, 0)));
        switch (response.StatusCode)
        {
            case HttpStatusCode.NoContent:
                return response.Headers.TryGetValues("X-CompassCi-Quarantined", out var why)
                    ? new ConsumeResult(ConsumeStatus.Quarantined, null, null, NoErrors, string.Join("; ", why))
                    : new ConsumeResult(ConsumeStatus.None, null, null, NoErrors);
            case HttpStatusCode.BadRequest:
                var problem = await Problem.ReadAsync(response, cancellationToken);
                return new ConsumeResult(ConsumeStatus.Invalid, null, null, problem.Errors, problem.Message);
            default:
                var json = await ReadObjectAsync(response, cancellationToken);
                return new ConsumeResult(ConsumeStatus.Job, JobJsonReader.Read(json), JobJsonReader.Text(json, "job_secret"), NoErrors);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    private async Task<JobView> ChangeAsync(string id, string change, JsonObject body, CancellationToken cancellationToken)
    {
        // The REST API refuses a null testbox; leave the field out instead.
        foreach (var key in body.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            body.Remove(key);
        }

        using var response = await SendAsync(HttpMethod.Post, $"api/v1/jobs/{Uri.EscapeDataString(id)}/{change}", Json(body), idempotent: false, cancellationToken);
        return JobJsonReader.Read(await ReadObjectAsync(response, cancellationToken));
    }

    /// <summary>
    /// Sends one call through the pipeline, marked for it (idempotent or not, its deadline). Transport failures that
    /// outlast the retries become <see cref="CompassCiException"/>s; the caller's own cancellation stays what it is.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        HttpContent? content,
        bool idempotent,
        CancellationToken cancellationToken,
        TimeSpan? extraAttemptTime = null,
        Action<HttpRequestMessage>? prepare = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Options.Set(RequestMarks.Idempotent, idempotent);
        request.Options.Set(RequestMarks.Deadline, _time.GetUtcNow() + _options.TotalBudget + (extraAttemptTime ?? TimeSpan.Zero));
        if (extraAttemptTime is { } extra)
        {
            request.Options.Set(RequestMarks.ExtraAttemptTime, extra);
        }

        request.Options.Set(RequestMarks.Streamed, completion == HttpCompletionOption.ResponseHeadersRead);
        prepare?.Invoke(request);
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error) when (error is HttpRequestException or TimeoutRejectedException or IOException or OperationCanceledException)
        {
            throw new CompassCiException($"{method} {new Uri(_http.BaseAddress!, path)} failed{(idempotent ? " within its retry budget" : "")}: {error.Message}", error);
        }
    }

    /// <summary>A 2xx answer's JSON object; anything else is the problem it carries, thrown.</summary>
    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw (await Problem.ReadAsync(response, cancellationToken)).ToException();
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new CompassCiException((int)response.StatusCode, $"expected a JSON object, got: {text}");
        }
        catch (JsonException error)
        {
            throw new CompassCiException($"the answer is not JSON: {error.Message}", error);
        }
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static string QueryString(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var parts = parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
