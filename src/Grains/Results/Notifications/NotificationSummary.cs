using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Results.Pipeline;

namespace CompassCi.Grains.Results.Notifications;

/// <summary>The JSON body a webhook receives about an ended job.</summary>
public static class NotificationSummary
{
    /// <summary>The summary of the job in <paramref name="context"/>, for <paramref name="audience"/>.</summary>
    public static JsonObject Of(PluginContext context, string audience, string? resultsBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        var newErrids = context.Outputs.TryGetValue("regression", out var regression) && regression["new_errids"] is JsonArray found
            ? found.DeepClone()
            : new JsonArray();
        var resultRoot = context.ResultRoot;
        return new JsonObject
        {
            ["event"] = "job.finished",
            ["audience"] = audience,
            ["id"] = job.Id.ToString(CultureInfo.InvariantCulture),
            ["suite"] = job.Suite,
            ["my_account"] = job.Account,
            ["testbox"] = job.Testbox,
            ["job_health"] = job.Health,
            ["crash"] = job.Crash is { } crash ? CrashReportJson.ToJson(crash) : null,
            ["errid"] = new JsonArray([.. context.Errids.Select(e => (JsonNode)e)]),
            ["new_errids"] = newErrids,
            ["result_root"] = resultRoot,
            ["result_url"] = resultRoot is not null && !string.IsNullOrEmpty(resultsBaseUrl) ? resultsBaseUrl.TrimEnd('/') + resultRoot : null,
            ["finish_time"] = job.FinishTime is { } finished ? DateTimeOffset.FromUnixTimeMilliseconds(finished).ToString("O", CultureInfo.InvariantCulture) : null,
        };
    }
}
