using CompassCi.Grains.Testboxes;

namespace CompassCi.Tests.Unit.Testboxes;

public sealed class TestboxStatesTests
{
    private const long Now = 1_000_000;
    private static readonly TimeSpan Silent = TimeSpan.FromSeconds(180);

    private static TestboxRow Row(long? lastSeen = Now, long? heartbeatDeadline = null, long? waitingUntil = null, string? jobStage = null, bool quarantined = false) =>
        new("vm-x--h-0", "h", null, null, lastSeen, null, heartbeatDeadline, waitingUntil, jobStage is null ? null : 7, jobStage, quarantined);

    [Theory]
    [InlineData(null, null, null, false, "idle")]
    [InlineData(null, Now + 5_000, null, false, "requesting")]
    [InlineData(null, null, "boot", false, "booting")]
    [InlineData(null, null, "running", false, "running")]
    [InlineData(null, null, "post_run", false, "running")]
    [InlineData(Now - 1, null, "running", false, "offline")]
    [InlineData(Now + 60_000, null, null, true, "quarantined")]
    public void The_state_follows_quarantine_then_heartbeat_then_job_then_wait(long? heartbeatDeadline, long? waitingUntil, string? jobStage, bool quarantined, string expected)
    {
        Assert.Equal(expected, TestboxStates.Of(Row(heartbeatDeadline: heartbeatDeadline, waitingUntil: waitingUntil, jobStage: jobStage, quarantined: quarantined), Now, Silent));
    }

    [Fact]
    public void A_box_that_does_not_heartbeat_is_offline_once_not_heard_from_for_the_window()
    {
        Assert.Equal("idle", TestboxStates.Of(Row(lastSeen: Now - 179_000), Now, Silent));
        Assert.Equal("offline", TestboxStates.Of(Row(lastSeen: Now - 181_000), Now, Silent));
        Assert.Equal("offline", TestboxStates.Of(Row(lastSeen: null), Now, Silent));
    }
}
