using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Grains.Lifecycle;

namespace CompassCi.Api.Jobs;

/// <summary>
/// A job on the wire: the document as submitted (unknown keys included), overlaid with what the server
/// owns (id, stage, health, holder, times).
/// </summary>
public static class JobJson
{
    /// <summary>
    /// The job as JSON. Pass the parsed <paramref name="document"/> when the caller already has it (it is
    /// overlaid in place) to skip parsing <see cref="JobRecord.Document"/> again.
    /// </summary>
    public static JsonObject Render(JobRecord job, JsonObject? document = null)
    {
        var json = document ?? JsonNode.Parse(job.Document) as JsonObject ?? [];
        json["id"] = job.Id.ToString(CultureInfo.InvariantCulture);
        json["job_stage"] = job.Stage;
        json["job_health"] = job.Health;
        json["my_account"] = job.Account;
        json["suite"] = job.Suite;
        json["tbox_group"] = job.TboxGroup;
        json["testbox"] = job.Testbox;
        json["queue_key"] = job.QueueKey;
        json["priority"] = job.Priority;
        json["memory_minimum_mb"] = job.MemoryMb;
        json["submit_time"] = Time(job.SubmitTime);
        json["boot_time"] = job.BootTime is { } boot ? Time(boot) : null;
        json["running_time"] = job.RunningTime is { } running ? Time(running) : null;
        json["post_run_time"] = job.PostRunTime is { } postRun ? Time(postRun) : null;
        json["manual_check_time"] = job.ManualCheckTime is { } manualCheck ? Time(manualCheck) : null;
        json["renew_time"] = job.RenewTime is { } renew ? Time(renew) : null;
        json["finish_time"] = job.FinishTime is { } finish ? Time(finish) : null;
        json["deadline"] = job.Deadline is { } deadline ? Time(deadline) : null;
        json["crash"] = job.Crash is { } crash ? CrashReportJson.ToJson(crash) : null;
        json["abort"] = job.CancelRequested;
        json["attempt"] = job.Attempt;
        json["rescheduled_from"] = job.RescheduledFrom?.ToString(CultureInfo.InvariantCulture);
        json["rescheduled_as"] = job.RescheduledAs?.ToString(CultureInfo.InvariantCulture);
        json["host"] = job.Host;
        json["host_lifecycle"] = job.HostLifecycle;
        // What an lkp testbox reported through compass-ci's cgi calls (job_state, start_time, loadavg, ssh_port, …) and
        // the health its last finish word noted; kept apart so a reported name can never stand for a field of the job.
        json["lkp_vars"] = Grains.Compat.Lkp.LkpVars.Parse(job.LkpVars);
        json["noted_health"] = job.NotedHealth;
        // The job's secrets (compass-ci's secrets map) go only to its testbox (the consume answer) and through
        // GET /api/v1/jobs/{id}/secrets, which checks who asks.
        json.Remove(SecretsField);
        return json;
    }

    /// <summary>The job's own secrets map, as submitted (compass-ci's <c>secrets</c>).</summary>
    public const string SecretsField = "secrets";

    /// <summary>
    /// The job as its testbox receives it at consume: with its <c>secrets</c> and <c>job_secret</c>, the per-job secret
    /// the testbox shows for this job's updates and uploads.
    /// </summary>
    public static JsonObject RenderForTestbox(JobRecord job, string jobSecret)
    {
        ArgumentNullException.ThrowIfNull(job);
        // One parse: the secrets are taken from the parsed document before Render drops them from it.
        var document = JsonNode.Parse(job.Document) as JsonObject ?? [];
        var secrets = document[SecretsField];
        document.Remove(SecretsField);
        var json = Render(job, document);
        if (secrets is not null)
        {
            json[SecretsField] = secrets;
        }

        json["job_secret"] = jobSecret;
        return json;
    }

    /// <summary>ISO 8601 with offset, from unix milliseconds.</summary>
    public static string Time(long unixMillis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMillis).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
