using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Cli.Config;
using CompassCi.Client;

namespace CompassCi.Cli.Server;

/// <summary>
/// The REST API as raw JSON: one GET/POST helper for every route cci reads, turning a refusal's problem details into a
/// <see cref="CompassCiException"/> with the server's own one-line message (its <c>error</c>), so each command prints it.
/// </summary>
internal sealed class ServerApi : IDisposable
{
    private readonly HttpClient _http;

    public ServerApi(ServerSettings settings)
    {
        // No overall timeout: watches and long polls stay open; each command bounds its own calls.
        _http = new HttpClient { BaseAddress = settings.Server, Timeout = Timeout.InfiniteTimeSpan };
        if (settings.Token is { } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public HttpClient Http => _http;

    /// <summary>GET a route's JSON.</summary>
    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>POST a JSON body (or none) and read the JSON answer.</summary>
    public Task<JsonNode> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body?.ToJsonString() ?? "{}", Encoding.UTF8, "application/json"),
        };
        return SendAsync(request, cancellationToken);
    }

    /// <summary>POST a YAML body (an lkp job file).</summary>
    public Task<JsonNode> PostYamlAsync(string path, string yaml, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        return SendAsync(request, cancellationToken);
    }

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

    public void Dispose() => _http.Dispose();
}
