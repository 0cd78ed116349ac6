using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>A compass-ci provider's WebSocket boot request (providers/lib/common.rb ws_boot): connect, read until the server closes.</summary>
internal static class ProviderSocket
{
    /// <summary>Every text message of one <c>ws/boot.container?…</c> request, in order; answers the close as the provider does.</summary>
    public static async Task<List<string>> BootAsync(int port, string query, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/boot.container?{query}"), cancellationToken);
        var messages = new List<string>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var text = new StringBuilder();
            WebSocketReceiveResult read;
            do
            {
                read = await socket.ReceiveAsync(buffer, cancellationToken);
                text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            }
            while (!read.EndOfMessage && read.MessageType != WebSocketMessageType.Close);

            if (read.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "close", cancellationToken);
                return messages;
            }

            messages.Add(text.ToString());
        }
    }

    /// <summary>The <c>response</c> of the first message, which must be of type <c>boot</c>.</summary>
    public static string BootResponse(IReadOnlyList<string> messages)
    {
        var boot = JsonNode.Parse(messages[0])!;
        Assert.Equal("boot", boot["type"]!.GetValue<string>());
        return boot["response"]!.GetValue<string>();
    }
}
