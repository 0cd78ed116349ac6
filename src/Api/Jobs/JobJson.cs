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
        foreach (var (name, value) in Overlay(job))
        {
            json[name] = value;
        }

        // The job's secrets (compass-ci's secrets map) go only to its testbox (the consume answer) and through
        // GET /api/v1/jobs/{id}/secrets, which checks who asks.
        json.Remove(SecretsField);
        return json;
    }

    /// <summary>
    /// What the server owns of a job, in the order it is laid over the document: a field the document has keeps its
    /// place, the others follow in this order (<see cref="JobJsonWriter"/> writes the same without building the tree).
    /// </summary>
    public static KeyValuePair<string, JsonNode?>[] Overlay(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return
        [
            new("id", job.Id.ToString(CultureInfo.InvariantCulture)),
            new("job_stage", job.Stage),
            new("job_health", job.Health),
            new("my_account", job.Account),
            new("suite", job.Suite),
            new("tbox_group", job.TboxGroup),
            new("testbox", job.Testbox),
            new("queue_key", job.QueueKey),
            new("priority", job.Priority),
            new("memory_minimum_mb", job.MemoryMb),
            new("submit_time", Time(job.SubmitTime)),
            new("boot_time", job.BootTime is { } boot ? Time(boot) : null),
            new("running_time", job.RunningTime is { } running ? Time(running) : null),
            new("post_run_time", job.PostRunTime is { } postRun ? Time(postRun) : null),
            new("manual_check_time", job.ManualCheckTime is { } manualCheck ? Time(manualCheck) : null),
            new("renew_time", job.RenewTime is { } renew ? Time(renew) : null),
            new("finish_time", job.FinishTime is { } finish ? Time(finish) : null),
            new("deadline", job.Deadline is { } deadline ? Time(deadline) : null),
            new("crash", job.Crash is { } crash ? CrashReportJson.ToJson(crash) : null),
            new("abort", job.CancelRequested),
            new("attempt", job.Attempt),
            new("rescheduled_from", job.RescheduledFrom?.ToString(CultureInfo.InvariantCulture)),
            new("rescheduled_as", job.RescheduledAs?.ToString(CultureInfo.InvariantCulture)),
            new("host", job.Host),
            new("host_lifecycle", job.HostLifecycle),
            // What an lkp testbox reported through compass-ci's cgi calls (job_state, start_time, loadavg, ssh_port, …) and
            // the health its last finish word noted; kept apart so a reported name can never stand for a field of the job.
            new("lkp_vars", Grains.Compat.Lkp.LkpVars.Parse(job.LkpVars)),
            new("noted_health", job.NotedHealth),
        ];
    }

    /// <summary>The job's own secrets map, as submitted (compass-ci's <c>secrets</c>).</summary>
    public const string SecretsField = "secrets";

    /// <summary>The per-job secret the testbox shows for this job's updates and uploads, in the consume answer only.</summary>
    public const string JobSecretField = "job_secret";

    /// <summary>ISO 8601 with offset, from unix milliseconds.</summary>
    public static string Time(long unixMillis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMillis).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
