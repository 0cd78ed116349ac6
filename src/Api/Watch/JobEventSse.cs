using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;

namespace CompassCi.Api.Watch;

/// <summary>
/// How a watch writes its events as server-sent events: <c>id</c> (the position to resume after), <c>event</c> (the
/// <see cref="JobEventTypes"/> value), <c>data</c> (one line of JSON), a blank line; and the keep-alive comment.
/// </summary>
public static class JobEventSse
{
    /// <summary>What an idle round writes, so proxies and clients see the stream is alive.</summary>
    public const string KeepAlive = ": waiting\n\n";

    /// <summary>
    /// Written as the REST answers are (a time's <c>+00:00</c> stays <c>+</c>, not <c>\u002B</c>); control characters are
    /// still escaped, so a line break never splits <c>data</c>.
    /// </summary>
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The event's <c>data</c> object: the job's state after the change, when, and the entry's details.</summary>
    public static JsonObject Data(JobEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new JsonObject
        {
            ["id"] = change.Id,
            ["job_id"] = change.JobId,
            ["event"] = change.Event,
            ["job_stage"] = change.Stage,
            ["job_health"] = change.Health,
            ["time"] = JobJson.Time(change.Time.ToUnixTimeMilliseconds()),
            ["detail"] = JsonNode.Parse(change.Detail) ?? new JsonObject(),
        };
    }

    /// <summary>Appends <paramref name="change"/> as one server-sent event.</summary>
    public static StringBuilder Append(StringBuilder text, JobEvent change)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(change);
        // JsonNode writes no raw line breaks (they are escaped in strings), so data stays one line.
        return text.Append("id: ").Append(change.Id).Append('\n')
            .Append("event: ").Append(change.Type).Append('\n')
            .Append("data: ").Append(Data(change).ToJsonString(Relaxed)).Append("\n\n");
    }
}
