using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>
/// A local HTTP endpoint standing in for a webhook receiver: records every POST it gets (delivery header and JSON body)
/// and answers with <see cref="Status"/>. Can be created without listening (a hook that is down) and started later on
/// the same port.
/// </summary>
public sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public WebhookListener(bool listening = true)
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        if (listening)
        {
            Start();
        }
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>The status answered to each POST; 204 unless a test says otherwise.</summary>
    public int Status { get; set; } = 204;

    /// <summary>Every POST received, in order, whatever was answered.</summary>
    public ConcurrentQueue<(string? Delivery, JsonObject Body, int Answered)> Received { get; } = new();

    /// <summary>The POSTs answered with a 2xx: what the sender would count as delivered.</summary>
    public List<JsonObject> Delivered => [.. Received.Where(r => r.Answered is >= 200 and < 300).Select(r => r.Body)];

    public void Start()
    {
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        _listener.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var text = await reader.ReadToEndAsync();
            var status = Status;
            Received.Enqueue((context.Request.Headers["X-CompassCi-Delivery"], JsonNode.Parse(text) as JsonObject ?? [], status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
