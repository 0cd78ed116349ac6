using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Results.Pipeline;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Results.Notifications;

/// <summary>
/// Tells the party an ended job concerns (see <see cref="NotificationRouting"/>): POSTs a JSON summary to its webhook and
/// records the delivery on the job's events (<c>notified</c>). A delivery already recorded is not sent again, so a
/// retry after a crash between sending and recording is the only way a hook hears twice; the header
/// <c>X-CompassCi-Delivery</c> (the same on a repeat) lets it drop the repeat. A hook that fails (or answers other than
/// 2xx) fails the step, which the pipeline retries with backoff.
/// </summary>
public sealed class NotificationPlugin(JobStore jobs, JobResultsStore results, IOptions<WebhookOptions> options, TimeProvider clock) : IPostExtractPlugin, IDisposable
{
    /// <summary>The delivery event's name in the job's history.</summary>
    public const string NotifiedEvent = "notified";

    // One client for every hook: pooled connections, renewed now and then so a hook's changed DNS is seen.
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = options.Value.Timeout };

    public string Name => "notification";

    public async Task<JsonObject?> RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        var audience = NotificationRouting.AudienceOf(job);
        if (NotificationRouting.HookOf(audience, job, options.Value) is not { } hook)
        {
            return new JsonObject { ["audience"] = audience, ["sent"] = false, ["reason"] = $"no webhook is configured for the {audience}" };
        }

        if (await AlreadyNotifiedAsync(job.Id, audience))
        {
            return new JsonObject { ["audience"] = audience, ["sent"] = true, ["repeat"] = true };
        }

        var delivery = $"{job.Id.ToString(CultureInfo.InvariantCulture)}-{audience}";
        using var request = new HttpRequestMessage(HttpMethod.Post, hook)
        {
            Content = JsonContent.Create(NotificationSummary.Of(context, audience, options.Value.ResultsBaseUrl)),
        };
        request.Headers.Add("X-CompassCi-Delivery", delivery);
        request.Headers.Add("X-CompassCi-Event", "job.finished");
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The hook's URL may carry a secret: name the audience, never the URL.
            throw new HttpRequestException($"the {audience}'s webhook answered {(int)response.StatusCode}", null, response.StatusCode);
        }

        var detail = new JsonObject { ["audience"] = audience, ["status"] = (int)response.StatusCode, ["attempt"] = context.Attempt, ["delivery"] = delivery };
        await results.AppendEventAsync(job.Id, new JobHistoryEntry(clock.GetUtcNow().ToUnixTimeMilliseconds(), NotifiedEvent, detail));
        return new JsonObject { ["audience"] = audience, ["sent"] = true, ["status"] = (int)response.StatusCode };
    }

    public void Dispose() => _http.Dispose();

    private async Task<bool> AlreadyNotifiedAsync(long jobId, string audience) =>
        await jobs.GetEventsAsync(jobId) is { } events
        && JsonNode.Parse(events) is JsonArray list
        && list.Any(e => e?["event"]?.GetValue<string>() == NotifiedEvent && e["audience"]?.GetValue<string>() == audience);
}
