using System.Text.Json.Nodes;
using CompassCi.Grains.Watch;

namespace CompassCi.Tests.Unit.Watch;

/// <summary>How a job's history becomes watch events: ids, carried state, types, details, times.</summary>
public sealed class JobEventReaderTests
{
    private const string History = """
        [
          {"time": 1000, "event": "submitted", "job_stage": "submit", "job_health": null},
          {"time": 2000, "event": "leased", "testbox": "vm-1", "lease_id": "r1", "job_stage": "boot", "job_health": null},
          {"time": 3000, "event": "stage", "stage": "running", "from": "boot", "job_stage": "running", "job_health": null},
          {"time": 2500, "event": "renewed", "seconds": 60, "job_stage": "running", "job_health": null},
          {"time": 4000, "event": "finished", "health": "success", "from": "running", "job_stage": "finish", "job_health": "success"},
          {"time": 5000, "event": "extracted", "readiness": "complete"}
        ]
        """;

    [Fact]
    public void Each_entry_is_an_event_with_its_1_based_index_and_the_state_after_it()
    {
        var events = JobEventReader.Read(42, History);

        Assert.Equal(["1", "2", "3", "4", "5", "6"], events.Select(e => e.Event.Id));
        Assert.All(events, e => Assert.Equal("42", e.Event.JobId));
        Assert.Equal(["submitted", "leased", "stage", "renewed", "finished", "extracted"], events.Select(e => e.Event.Event));
        Assert.Equal(["submit", "boot", "running", "running", "finish", "finish"], events.Select(e => e.Event.Stage));
        Assert.Equal([null, null, null, null, "success", "success"], events.Select(e => e.Event.Health));
    }

    [Fact]
    public void The_type_says_what_the_entry_did_to_the_job()
    {
        var events = JobEventReader.Read(42, History);

        Assert.Equal(
            [JobEventTypes.Job, JobEventTypes.Stage, JobEventTypes.Stage, JobEventTypes.Job, JobEventTypes.Health, JobEventTypes.Pipeline],
            events.Select(e => e.Event.Type));
    }

    [Fact]
    public void Detail_holds_the_other_fields_and_time_comes_from_milliseconds()
    {
        var leased = JobEventReader.Read(42, History)[1].Event;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"testbox": "vm-1", "lease_id": "r1"}"""), JsonNode.Parse(leased.Detail)));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(2000), leased.Time);
        Assert.Equal("{}", JobEventReader.Read(42, History)[0].Event.Detail);
    }

    [Fact]
    public void The_effective_time_never_goes_back_within_a_job()
    {
        var events = JobEventReader.Read(42, History);

        // The renewal was stamped at 2500 on a slower clock after the 3000 entry: it is ordered at 3000.
        Assert.Equal([1000L, 2000, 3000, 3000, 4000, 5000], events.Select(e => e.EffectiveTime));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(2500), events[3].Event.Time);
    }

    [Fact]
    public void Entries_without_stamps_carry_the_state_forward_from_submit()
    {
        var events = JobEventReader.Read(7, """
            [{"time": 1, "event": "submitted"}, {"time": 2, "event": "cancelled", "from": "submit", "job_stage": "finish", "job_health": "cancel"},
             {"time": 3, "event": "notified"}]
            """);

        Assert.Equal(["submit", "finish", "finish"], events.Select(e => e.Event.Stage));
        Assert.Equal([null, "cancel", "cancel"], events.Select(e => e.Event.Health));
        Assert.Equal([JobEventTypes.Job, JobEventTypes.Health, JobEventTypes.Pipeline], events.Select(e => e.Event.Type));
    }

    [Fact]
    public void Going_back_to_the_queue_is_a_stage_change()
    {
        Assert.Equal(JobEventTypes.Stage, JobEventReader.TypeOf("lease_expired", "boot", null, "submit", null));
        Assert.Equal(JobEventTypes.Job, JobEventReader.TypeOf("reported", "running", null, "running", null));
    }

    [Fact]
    public void A_stamp_adds_the_state_after_and_keeps_the_details()
    {
        var stamped = HistoryStamp.Stamp(new JobHistoryEntry(5, "stage", new JsonObject { ["stage"] = "running" }), "running", null);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"time": 5, "event": "stage", "stage": "running", "job_stage": "running", "job_health": null}"""),
            JsonNode.Parse(stamped.ToJson())));
    }
}
