using System.Text.Json.Nodes;
using CompassCi.Cli.Config;
using CompassCi.Client;
using CompassCi.Client.Http;

namespace CompassCi.Cli.Server;

/// <summary>
/// The server as cci sees it: <see cref="Sdk"/>, the SDK's HTTP transport, for what <see cref="ICompassCiClient"/>
/// covers (submit, get, list, cancel, renew, watch), and its raw-JSON GET for the routes it does not (queues,
/// testboxes, hosts, clusters, fair share, why, events, stats) — the same retries and refusals either way.
/// </summary>
internal sealed class ServerApi : IAsyncDisposable
{
    public ServerApi(ServerSettings settings)
    {
        // A person waits at the prompt: retries of a call (and each reconnection of a watch, enough for a silo's
        // restart) stop after 30 s rather than the SDK's 2 minutes, and the error is shown.
        Sdk = new CompassCiHttpClient(new CompassCiHttpOptions { BaseAddress = settings.Server, Token = settings.Token, TotalBudget = TimeSpan.FromSeconds(30) });
    }

    /// <summary>The SDK over the REST API, with its retries of what is safe to repeat and its resuming SSE watch.</summary>
    public CompassCiHttpClient Sdk { get; }

    /// <summary>GET a route's JSON, retried as every read is; a refusal is the server's problem, as a <see cref="CompassCiException"/>.</summary>
    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) => Sdk.GetJsonAsync(path, cancellationToken);

    public ValueTask DisposeAsync() => Sdk.DisposeAsync();
}
