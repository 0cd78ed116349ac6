using System.Collections.Concurrent;
using System.Net;
using CompassCi.Silo.Hosting;

namespace CompassCi.Tests.Integration.Client;

/// <summary>
/// A tiny HTTP server that answers each request with what the test says, recording what came in: for the transport
/// rules of the HTTP SDK (what it retries, what it sends on a reconnect) where a real silo cannot be made to fail on cue.
/// </summary>
public sealed class HttpStubServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, int, Task> _answer;
    private readonly Task _serving;
    private int _count;

    /// <summary>Serves every request with <paramref name="answer"/>, given the request and its 1-based number.</summary>
    public HttpStubServer(Func<HttpListenerContext, int, Task> answer)
    {
        _answer = answer;
        var port = FreePort.Pick();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>Each request as it came: method, path and query, and its headers.</summary>
    public ConcurrentQueue<(string Method, string Target, WebHeaderCollection Headers)> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
        {
            // Stopped.
        }

        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            var number = Interlocked.Increment(ref _count);
            var headers = new WebHeaderCollection();
            foreach (var name in context.Request.Headers.AllKeys)
            {
                headers[name!] = context.Request.Headers[name];
            }

            Requests.Enqueue((context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers));
            _ = Task.Run(async () =>
            {
                try
                {
                    await _answer(context, number);
                    context.Response.Close();
                }
                catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
                {
                    // The answer cut the connection on purpose, or the client left.
                }
            });
        }
    }

    /// <summary>Writes a status, optional headers and a body.</summary>
    public static async Task WriteAsync(HttpListenerContext context, int status, string body = "", string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }
}
