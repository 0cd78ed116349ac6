using System.Text.Json.Nodes;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// One entry of a job's history: when, what, and details. Stored in the job row's <c>events</c> array by the
/// same statement that makes the change it describes.
/// </summary>
public sealed record JobHistoryEntry(long Time, string Event, JsonObject? Detail = null)
{
    public string ToJson()
    {
        var json = new JsonObject { ["time"] = Time, ["event"] = Event };
        foreach (var (key, value) in Detail ?? [])
        {
            json[key] = value?.DeepClone();
        }

        return json.ToJsonString();
    }
}
