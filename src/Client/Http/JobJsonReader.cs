using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Client.Http;

/// <summary>The REST API's job JSON (the document overlaid with what the server owns) as a <see cref="JobView"/>.</summary>
internal static class JobJsonReader
{
    public static JobView Read(JsonObject json) => new()
    {
        Id = Text(json, "id") ?? throw Malformed("id"),
        Stage = Text(json, "job_stage") ?? throw Malformed("job_stage"),
        Health = Text(json, "job_health"),
        Account = Text(json, "my_account") ?? "",
        Suite = Text(json, "suite") ?? "",
        TboxGroup = Text(json, "tbox_group"),
        Testbox = Text(json, "testbox"),
        QueueKey = Text(json, "queue_key") ?? "",
        Priority = Number(json, "priority") ?? 0,
        SubmitTime = Time(json, "submit_time") ?? default,
        BootTime = Time(json, "boot_time"),
        RunningTime = Time(json, "running_time"),
        FinishTime = Time(json, "finish_time"),
        Deadline = Time(json, "deadline"),
        Crash = json["crash"] is JsonObject crash ? Crash(crash) : null,
        AbortRequested = json["abort"] is JsonValue abort && abort.GetValueKind() == JsonValueKind.True,
        Attempt = Number(json, "attempt") ?? 1,
        RescheduledFrom = Text(json, "rescheduled_from"),
        RescheduledAs = Text(json, "rescheduled_as"),
        ClusterId = Text(json, "cluster_id"),
        Host = Text(json, "host"),
        SubmitId = Text(json, "submit_id"),
        // The wire's job is the document with the server's fields laid over it; the SDK keeps it whole.
        Document = json.ToJsonString(),
    };

    /// <summary>A string field, or a number's text (ids are strings on the wire, but a document may hold numbers).</summary>
    public static string? Text(JsonObject json, string field) => json[field] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };

    private static int? Number(JsonObject json, string field) =>
        json[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : null;

    public static DateTimeOffset? Time(JsonObject json, string field) =>
        Text(json, field) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time.ToUniversalTime() : null;

    private static CrashReport Crash(JsonObject crash) => new(
        Text(crash, "notify") ?? CrashNotify.Unknown,
        Text(crash, "cause") ?? CrashCause.Unknown,
        crash["fatal"] is JsonValue fatal && fatal.GetValueKind() == JsonValueKind.True,
        crash["keyvals"] is JsonObject keyvals
            ? keyvals.ToDictionary(k => k.Key, k => k.Value is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : k.Value?.ToJsonString() ?? "null", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal));

    private static CompassCiException Malformed(string field) =>
        new(0, $"the scheduler's job JSON has no '{field}': is the address a CompassCi scheduler?");
}
