using System.Text.Json.Nodes;

namespace CompassCi.Grains.Lifecycle;

/// <summary>A crash report as JSON: how the <c>crash</c> column stores it and clients see it.</summary>
public static class CrashReportJson
{
    /// <summary><c>{"notify", "cause", "fatal", "keyvals"}</c>.</summary>
    public static JsonObject ToJson(CrashReport crash)
    {
        ArgumentNullException.ThrowIfNull(crash);
        return new JsonObject
        {
            ["notify"] = crash.Notify,
            ["cause"] = crash.Cause,
            ["fatal"] = crash.Fatal,
            ["keyvals"] = new JsonObject(crash.Keyvals.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)JsonValue.Create(k.Value)))),
        };
    }

    /// <summary>
    /// Reads a stored report back. The column only ever holds what <see cref="ToJson"/> wrote, so anything else
    /// (a hand-edited row) reads as an unknown crash rather than failing every read of the job.
    /// </summary>
    public static CrashReport Parse(string json) =>
        CrashReportReader.Read(JsonNode.Parse(json)).Report ?? CrashReport.Unknown;
}
