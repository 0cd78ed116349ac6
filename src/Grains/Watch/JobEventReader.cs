using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Results.Notifications;

namespace CompassCi.Grains.Watch;

/// <summary>One entry of a job's history as a watcher sees it, with the time the many-job watch orders it by.</summary>
/// <param name="Index">Its 1-based index in the history.</param>
/// <param name="EffectiveTime">
/// The greatest entry time up to and including it (unix ms): entries are stamped on the clocks of whichever silos made
/// them, so a later entry may carry an earlier time; ordering by this never puts one job's entries out of order.
/// </param>
/// <param name="Event">The event, its id being <paramref name="Index"/>.</param>
public sealed record HistoryEvent(int Index, long EffectiveTime, JobEvent Event);

/// <summary>
/// Turns a job's history (its <c>events</c> JSON array) into watch events: pure, no I/O. The state after each entry is
/// its stamp (<see cref="HistoryStamp"/>), or, for an entry without one (written before stamps existed, or by the
/// results pipeline outside the job's grain), the state carried forward from the entry before (from
/// <c>submit</c>, no health).
/// </summary>
public static class JobEventReader
{
    /// <summary>The entries the results pipeline appends after a job's end.</summary>
    public static readonly IReadOnlySet<string> PipelineEvents = new HashSet<string>(StringComparer.Ordinal)
    {
        "extracted",
        NotificationPlugin.NotifiedEvent,
    };

    /// <summary>Every entry of <paramref name="historyJson"/> of job <paramref name="jobId"/>, oldest first.</summary>
    public static IReadOnlyList<HistoryEvent> Read(long jobId, string historyJson)
    {
        ArgumentNullException.ThrowIfNull(historyJson);
        var history = JsonNode.Parse(historyJson) as JsonArray ?? [];
        var id = jobId.ToString(CultureInfo.InvariantCulture);
        var stage = JobStages.Submit;
        string? health = null;
        var effective = long.MinValue;
        List<HistoryEvent> events = new(history.Count);
        foreach (var node in history)
        {
            if (node is not JsonObject entry)
            {
                continue;
            }

            var index = events.Count + 1;
            var time = entry["time"] is JsonValue t && t.TryGetValue<long>(out var millis) ? millis : 0;
            var name = entry["event"] is JsonValue e && e.GetValueKind() == JsonValueKind.String ? e.GetValue<string>() : "";
            var (stageBefore, healthBefore) = (stage, health);
            if (entry.ContainsKey(HistoryStamp.StageField))
            {
                stage = Text(entry[HistoryStamp.StageField]) ?? stage;
                health = Text(entry[HistoryStamp.HealthField]);
            }

            var detail = new JsonObject();
            foreach (var (key, value) in entry)
            {
                if (key is not ("time" or "event" or HistoryStamp.StageField or HistoryStamp.HealthField))
                {
                    detail[key] = value?.DeepClone();
                }
            }

            effective = Math.Max(effective, time);
            events.Add(new HistoryEvent(index, effective, new JobEvent
            {
                Id = index.ToString(CultureInfo.InvariantCulture),
                Type = TypeOf(name, stageBefore, healthBefore, stage, health),
                JobId = id,
                Event = name,
                Stage = stage,
                Health = health,
                Time = DateTimeOffset.FromUnixTimeMilliseconds(time),
                Detail = detail.ToJsonString(),
            }));
        }

        return events;
    }

    /// <summary>
    /// What kind of change an entry is, by what it did to the job: it set the health (the job ended) → health; it moved
    /// the stage → stage; the results pipeline wrote it → pipeline; anything else (submitted, renewed, reported…) → job.
    /// </summary>
    public static string TypeOf(string name, string stageBefore, string? healthBefore, string stage, string? health) =>
        health is not null && health != healthBefore ? JobEventTypes.Health
        : stage != stageBefore ? JobEventTypes.Stage
        : PipelineEvents.Contains(name) ? JobEventTypes.Pipeline
        : JobEventTypes.Job;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
