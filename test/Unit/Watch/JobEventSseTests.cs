using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Api.Watch;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Tests.Unit.Watch;

public sealed class JobEventSseTests
{
    private static JobEvent Change(string detail) => new()
    {
        Id = "4",
        Type = JobEventTypes.Health,
        JobId = "123",
        Event = "finished",
        Stage = JobStages.Finish,
        Health = JobHealth.Success,
        Time = DateTimeOffset.FromUnixTimeMilliseconds(1_764_655_200_000),
        Detail = detail,
    };

    [Fact]
    public void An_event_is_id_event_and_one_data_line_written_as_the_rest_api_writes_json()
    {
        var text = JobEventSse.Append(new StringBuilder(), Change("""{"note": "line one\nline two", "from": "running"}""")).ToString();

        var lines = text.Split('\n');
        Assert.Equal(["id: 4", "event: health"], lines[..2]);
        Assert.StartsWith("data: ", lines[2], StringComparison.Ordinal);
        Assert.Equal(["", ""], lines[3..]);
        // The time's offset reads as the REST answers write it, not as \u002B; the detail's line break stays escaped.
        Assert.Contains("\"time\":\"2025-12-02T06:00:00.000+00:00\"", lines[2], StringComparison.Ordinal);
        var data = JsonNode.Parse(lines[2]["data: ".Length..])!.AsObject();
        Assert.Equal("line one\nline two", data["detail"]!["note"]!.GetValue<string>());
        Assert.Equal("success", data["job_health"]!.GetValue<string>());
    }
}
