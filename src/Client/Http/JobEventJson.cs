using System.Text.Json.Nodes;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Client.Http;

/// <summary>
/// A watch event's <c>data</c> (<c>{"id", "job_id", "event", "job_stage", "job_health", "time", "detail"}</c>) as a
/// <see cref="JobEvent"/>; its type is the SSE <c>event:</c> field, its id the SSE <c>id:</c> field when there is one.
/// </summary>
internal static class JobEventJson
{
    public static JobEvent Read(SseMessage message)
    {
        var json = JsonNode.Parse(message.Data) as JsonObject
            ?? throw new CompassCiException(0, $"a watch event's data is not a JSON object: {message.Data}");
        return new JobEvent
        {
            Id = message.Id ?? JobJsonReader.Text(json, "id") ?? throw new CompassCiException(0, "a watch event has no id"),
            Type = message.Event,
            JobId = JobJsonReader.Text(json, "job_id") ?? "",
            Event = JobJsonReader.Text(json, "event") ?? "",
            Stage = JobJsonReader.Text(json, "job_stage") ?? "",
            Health = JobJsonReader.Text(json, "job_health"),
            Time = JobJsonReader.Time(json, "time") ?? default,
            Detail = json["detail"] is JsonObject detail ? detail.ToJsonString() : "{}",
        };
    }

    /// <summary>Whether an SSE message is a job change (the watch's event types) rather than something else on the stream.</summary>
    public static bool IsJobEvent(SseMessage message) =>
        message.Event is JobEventTypes.Stage or JobEventTypes.Health or JobEventTypes.Pipeline or JobEventTypes.Job;
}
