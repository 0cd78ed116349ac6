using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Api.Http;
using CompassCi.Api.Testboxes;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Compat;
using CompassCi.Grains.Compat.Boot;
using CompassCi.Grains.Compat.JobInitrd;
using CompassCi.Grains.Dispatch;
using CompassCi.Grains.Results;
using CompassCi.Grains.Scheduling;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Compat;

/// <summary>
/// compass-ci's boot routes: a box asks for its next job and gets a boot answer (§3 of the protocol notes) —
/// <c>GET /boot.&lt;kind&gt;/mac/&lt;mac&gt;</c> or <c>/hostname/&lt;name&gt;</c> (iPXE chains here; long-polls),
/// <c>GET /~lkp/cgi-bin/gpxelinux.cgi?hostname=&amp;mac=</c> (kexec'ed lkp boxes), and <c>ws /ws/boot.&lt;kind&gt;?hostname=…</c>
/// (the docker and qemu providers: one <c>{"type":"boot","response":…}</c>, then <c>{"type":"close"}</c>). Every one is the
/// native consume underneath (<see cref="TestboxConsumer"/>): the same matcher, lease, exactly-once hand-out.
/// </summary>
public static class BootEndpoints
{
    public static IEndpointRouteBuilder MapBootEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/boot.{kind}/{param}/{value}", BootAsync).ChangesState().ExcludeFromDescription();
        app.MapGet("/scheduler/boot.{kind}/{param}/{value}", BootAsync).ChangesState().ExcludeFromDescription();
        app.MapGet("/~lkp/cgi-bin/gpxelinux.cgi", GpxelinuxAsync).ChangesState().ExcludeFromDescription();
        app.MapGet("/ws/boot.{kind}", WebSocketBootAsync).ChangesState().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> BootAsync(string kind, string param, string value, HttpContext context, BootServices services)
    {
        if (!BootKind.IsKnown(kind))
        {
            return Problems.NotFound("kind", $"'boot.{kind}' is not a boot kind; use one of {string.Join(", ", BootKind.All.Select(k => "boot." + k))}");
        }

        string testbox;
        switch (param)
        {
            case "mac":
                var (mac, macError) = MacAddress.Normalize(value);
                if (macError is not null)
                {
                    return Problems.Field("mac", macError);
                }

                if (await services.Hosts.HostOfMacAsync(mac!) is not { } named)
                {
                    // What compass-ci's boot_msg says for any refusal: a script that echoes why and asks again.
                    var at = services.Addresses(context.Request);
                    return Text(BootText.NoJob(kind, at).Replace("No job now", $"No host is known by mac {mac}; PUT /set_host_mac?hostname=&mac={mac}", StringComparison.Ordinal));
                }

                testbox = named;
                break;
            case "hostname":
                testbox = value;
                break;
            default:
                return Problems.Field("param", $"'{param}' is not how a box names itself here; use /boot.{kind}/mac/<mac> or /boot.{kind}/hostname/<name>");
        }

        return await AnswerAsync(kind, testbox, null, null, context, services, TimeSpan.FromSeconds(services.Options.BootWaitSeconds));
    }

    private static async Task<IResult> GpxelinuxAsync(HttpContext context, BootServices services)
    {
        var query = context.Request.Query;
        var testbox = query["hostname"].ToString();
        if (testbox.Length == 0)
        {
            var (mac, macError) = MacAddress.Normalize(query["mac"].ToString());
            if (macError is not null)
            {
                return Problems.Field("hostname", "is required (or a mac set with PUT /set_host_mac)");
            }

            testbox = await services.Hosts.HostOfMacAsync(mac!) ?? string.Empty;
            if (testbox.Length == 0)
            {
                return Problems.NotFound("mac", $"no host is known by mac {mac}; PUT /set_host_mac?hostname=&mac={mac}");
            }
        }

        return await AnswerAsync(BootKind.Ipxe, testbox, null, null, context, services, TimeSpan.FromSeconds(services.Options.BootWaitSeconds));
    }

    /// <summary>Takes a job for <paramref name="testbox"/> and answers it as a boot script or JSON of <paramref name="kind"/>.</summary>
    private static async Task<IResult> AnswerAsync(string kind, string testbox, string? tboxType, int? leftMemGb, HttpContext context, BootServices services, TimeSpan wait)
    {
        var (taken, problem) = await TakeAsync(kind, testbox, tboxType, leftMemGb, context, services, wait);
        if (problem is not null)
        {
            return problem;
        }

        var at = services.Addresses(context.Request);
        if (taken?.Job is not { } handOver)
        {
            return Text(BootText.Answer(kind, null, at));
        }

        var body = BootText.Answer(kind, await services.BootJobAsync(handOver), at);
        return new HandOverResult(handOver, http => Text(body).ExecuteAsync(http));
    }

    /// <summary>The consume underneath every boot route; a null answer (with no problem) when the box hung up or the silo stops.</summary>
    private static async Task<(ConsumeAnswer? Answer, IResult? Problem)> TakeAsync(string kind, string testbox, string? tboxType, int? leftMemGb, HttpContext context, BootServices services, TimeSpan wait)
    {
        if (TestboxName.Problem("hostname", testbox) is { } badName)
        {
            return (null, badName);
        }

        HostRegistration? registration = null;
        foreach (var candidate in HostMachine.Candidates(testbox))
        {
            if ((registration = await services.Hosts.GetLiveAsync(candidate)) is not null)
            {
                break;
            }
        }

        var offer = BootOffer.For(testbox, registration, tboxType, leftMemGb);
        var normalised = TagSet.NormalizeOffer(offer.Tags);
        if (normalised.Tags is null)
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]>(normalised.Errors)));
        }

        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, services.Lifetime.ApplicationStopping);
        try
        {
            return (await services.Consumer.TakeAsync(testbox, normalised.Tags, offer.MemoryMb, null, offer.Host, wait, ends.Token), null);
        }
        catch (OperationCanceledException) when (ends.IsCancellationRequested)
        {
            // Hung up (nothing was taken), or this silo stops: the box asks again, as it does after "no job".
            return (null, null);
        }
    }

    private static async Task WebSocketBootAsync(string kind, HttpContext context, BootServices services)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Field("upgrade", "this is a WebSocket route (ws://…/ws/boot." + kind + "?hostname=…)", StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        var query = context.Request.Query;
        var (leftMem, memError) = BootOffer.ReadGb(query["left_mem"].ToString());
        if (!BootKind.IsKnown(kind) || memError is not null || TestboxName.Problem("hostname", query["hostname"].ToString()) is not null)
        {
            var problem = !BootKind.IsKnown(kind)
                ? Problems.NotFound("kind", $"'boot.{kind}' is not a boot kind; use one of {string.Join(", ", BootKind.All.Select(k => "boot." + k))}")
                : memError is not null ? Problems.Field("left_mem", memError) : TestboxName.Problem("hostname", query["hostname"].ToString())!;
            await problem.ExecuteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        // The provider sends nothing we need; reading notices its close, which ends the wait without taking a job.
        var reading = DrainAsync(socket, closed);
        var (answer, _) = await TakeAsync(kind, query["hostname"].ToString(), query["tbox_type"].ToString(), leftMem, context, services, TimeSpan.FromSeconds(services.Options.WebSocketBootWaitSeconds));
        var at = services.Addresses(context.Request);
        var handOver = answer?.Job;
        var body = BootText.Answer(kind, handOver is null ? null : await services.BootJobAsync(handOver), at);
        try
        {
            await SendAsync(socket, new JsonObject { ["type"] = "boot", ["response"] = body }, context.RequestAborted);
        }
        catch (Exception) when (handOver is not null && (socket.State != WebSocketState.Open || context.RequestAborted.IsCancellationRequested))
        {
            await handOver.GiveBack();
            return;
        }

        try
        {
            await SendAsync(socket, new JsonObject { ["type"] = "close" }, context.RequestAborted);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "close", context.RequestAborted);
            // Let the provider answer the close (it closes on our "close" message anyway); cancelling a read aborts the socket.
            closed.CancelAfter(TimeSpan.FromSeconds(5));
            await reading;
        }
        catch (Exception) when (socket.State != WebSocketState.Open || context.RequestAborted.IsCancellationRequested)
        {
            // The boot answer went out; how the socket ends no longer matters.
        }
    }

    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var read = await socket.ReceiveAsync(buffer, closed.Token);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception) when (closed.IsCancellationRequested || socket.State != WebSocketState.Open)
        {
        }
        catch (WebSocketException)
        {
        }

        await closed.CancelAsync();
    }

    private static Task SendAsync(WebSocket socket, JsonObject message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static IResult Text(string body) => Results.Text(body, "text/plain; charset=utf-8");
}
