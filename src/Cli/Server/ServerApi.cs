using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CompassCi.Cli.Config;
using CompassCi.Client;
using CompassCi.Client.Http;

namespace CompassCi.Cli.Server;

/// <summary>
/// The server as cci sees it: <see cref="Sdk"/>, the SDK's HTTP transport, for what <see cref="ICompassCiClient"/>
/// covers (submit, get, list, cancel, renew, watch); and one raw-JSON GET/POST helper for the routes it does not
/// (queues, testboxes, hosts, clusters, fair share, why, events, stats), turning a refusal's problem details into a
/// <see cref="CompassCiException"/> with the server's own one-line message (its <c>error</c>), as the SDK does.
/// </summary>
internal sealed class ServerApi : IAsyncDisposable
{
    private readonly HttpClient _http;

    public ServerApi(ServerSettings settings)
    {
        // A person waits at the prompt: retries of a call (and each reconnection of a watch, enough for a silo's
        // restart) stop after 30 s rather than the SDK's 2 minutes, and the error is shown.
        Sdk = new CompassCiHttpClient(new CompassCiHttpOptions { BaseAddress = settings.Server, Token = settings.Token, TotalBudget = TimeSpan.FromSeconds(30) });
        _http = new HttpClient { BaseAddress = settings.Server, Timeout = TimeSpan.FromMinutes(2) };
        if (settings.Token is { } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The SDK over the REST API, with its retries of what is safe to repeat and its resuming SSE watch.</summary>
    public CompassCiHttpClient Sdk { get; }

    /// <summary>GET a route's JSON.</summary>
    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    private async Task<JsonNode> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Refusal(response.StatusCode, text);
            }

            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
        }
    }

    /// <summary>The refusal of a call as the server worded it: problem details' <c>error</c>, else <c>detail</c>/<c>title</c>, else the body.</summary>
    public static CompassCiException Refusal(HttpStatusCode status, string body)
    {
        string message = body.Trim();
        var errors = new Dictionary<string, string[]>();
        try
        {
            if (JsonNode.Parse(body) is JsonObject problem)
            {
                message = (string?)problem["error"] ?? (string?)problem["detail"] ?? (string?)problem["title"] ?? message;
                if (problem["errors"] is JsonObject fields)
                {
                    foreach (var (field, messages) in fields)
                    {
                        errors[field] = messages is JsonArray list ? list.Select(m => (string?)m ?? "").ToArray() : [messages?.ToString() ?? ""];
                    }
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON (a proxy's page): the body itself is the message.
        }

        if (message.Length == 0)
        {
            message = $"{(int)status} {status}";
        }

        return new CompassCiException((int)status, message, errors);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Sdk.DisposeAsync();
    }
}
