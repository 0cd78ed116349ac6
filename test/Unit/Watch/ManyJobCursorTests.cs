using CompassCi.Grains.Watch;

namespace CompassCi.Tests.Unit.Watch;

/// <summary>The many-job watch's order, settle horizon and positions.</summary>
public sealed class ManyJobCursorTests
{
    private static readonly (long, string)[] Jobs =
    [
        (20, """[{"time": 100, "event": "submitted"}, {"time": 300, "event": "leased", "job_stage": "boot", "job_health": null}]"""),
        (10, """[{"time": 100, "event": "submitted"}, {"time": 200, "event": "cancelled", "job_stage": "finish", "job_health": "cancel"}, {"time": 900, "event": "notified"}]"""),
    ];

    [Fact]
    public void Events_come_in_time_then_job_then_index_order_up_to_the_horizon()
    {
        var (events, next) = ManyJobCursor.Next(Jobs, WatchPosition.Before(0), horizon: 500, max: 100);

        Assert.Equal(["100-10-1", "100-20-1", "200-10-2", "300-20-2"], events.Select(e => e.Id));
        Assert.Equal(new WatchPosition(300, 20, 2), next);
    }

    [Fact]
    public void A_resume_sends_only_what_is_after_its_position()
    {
        var (events, _) = ManyJobCursor.Next(Jobs, new WatchPosition(100, 20, 1), horizon: 1000, max: 100);

        Assert.Equal(["200-10-2", "300-20-2", "900-10-3"], events.Select(e => e.Id));
    }

    [Fact]
    public void A_full_answer_stops_at_max_and_the_next_one_goes_on_from_there()
    {
        var (first, next) = ManyJobCursor.Next(Jobs, WatchPosition.Before(0), horizon: 1000, max: 2);
        var (second, _) = ManyJobCursor.Next(Jobs, next, horizon: 1000, max: 2);

        Assert.Equal(["100-10-1", "100-20-1"], first.Select(e => e.Id));
        Assert.Equal(["200-10-2", "300-20-2"], second.Select(e => e.Id));
    }

    [Fact]
    public void With_nothing_due_the_position_moves_past_the_horizon_but_never_back()
    {
        var (none, next) = ManyJobCursor.Next(Jobs, new WatchPosition(300, 20, 2), horizon: 800, max: 100);
        var (still, same) = ManyJobCursor.Next(Jobs, new WatchPosition(2000, 1, 1), horizon: 800, max: 100);

        Assert.Empty(none);
        Assert.Equal(WatchPosition.Before(801), next);
        Assert.Empty(still);
        Assert.Equal(new WatchPosition(2000, 1, 1), same);
    }

    [Theory]
    [InlineData("12-34-5", true)]
    [InlineData("12-34", false)]
    [InlineData("a-1-1", false)]
    [InlineData("-1-1-1", false)]
    [InlineData("", false)]
    public void Positions_read_back_what_they_write(string text, bool valid)
    {
        Assert.Equal(valid, WatchPosition.TryParse(text, out var position));
        if (valid)
        {
            Assert.Equal(text, position.ToString());
        }
    }
}
