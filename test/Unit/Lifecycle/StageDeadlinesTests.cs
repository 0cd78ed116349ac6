using CompassCi.Grains.Lifecycle;
using Xunit;

namespace CompassCi.Tests.Unit.Lifecycle;

public class StageDeadlinesTests
{
    /// <summary>An offset that is not UTC, as compass-ci's +0800 times are, to show the offset is kept.</summary>
    private static readonly DateTimeOffset Now = new(2025, 9, 17, 10, 0, 0, TimeSpan.FromHours(8));

    private static readonly JobTiming Vm = new(null, null, IsPhysical: false);
    private static readonly JobTiming Hw = new(null, null, IsPhysical: true);

    private static DateTimeOffset? Deadline(string stage, JobTiming timing) => StageDeadlines.DeadlineFor(stage, Now, timing);

    [Fact]
    public void ASubmittedJobHasNoDeadline()
    {
        Assert.Null(Deadline("submit", Vm));
        Assert.Null(Deadline("submit", Hw));
    }

    [Fact]
    public void BootGetsAnHour()
    {
        Assert.Equal(Now.AddSeconds(3600), Deadline("boot", Vm));
        Assert.Equal(Now.AddSeconds(3600), Deadline("boot", Hw));
    }

    [Fact]
    public void PostRunGetsHalfAnHour()
    {
        Assert.Equal(Now.AddSeconds(1800), Deadline("post_run", Vm));
    }

    [Fact]
    public void ManualCheckGetsTenHours()
    {
        Assert.Equal(Now.AddSeconds(36000), Deadline("manual_check", Vm));
    }

    [Fact]
    public void RenewKeepsTheDeadlineTheRenewCallSet()
    {
        Assert.Null(Deadline("renew", Vm));
    }

    [Fact]
    public void FinishGivesAPhysicalBoxTwentyMinutesToRebootAndAVirtualOneAMinute()
    {
        Assert.Equal(Now.AddSeconds(1200), Deadline("finish", Hw));
        Assert.Equal(Now.AddSeconds(60), Deadline("finish", Vm));
    }

    [Fact]
    public void TheOffsetOfNowIsKept()
    {
        Assert.Equal(TimeSpan.FromHours(8), Deadline("boot", Vm)!.Value.Offset);
    }

    [Fact]
    public void RunningWithARuntimeAndNoTimeoutAddsSlack()
    {
        // 300 + max(300/8 = 37.5, 300) + √300 = 617.32…, rounded up.
        var exact = 300 + Math.Max(37.5, 300) + Math.Sqrt(300);
        Assert.InRange(exact, 617.32, 617.33);

        Assert.Equal(618, StageDeadlines.RunningSeconds(new JobTiming(null, 300, false)));
        Assert.Equal(Now.AddSeconds(618), Deadline("running", new JobTiming(null, 300, false)));
    }

    [Fact]
    public void RunningWithALongRuntimeTakesAnEighthAsSlack()
    {
        // 7200 + max(900, 300) + √7200 = 8184.85…
        Assert.Equal(8185, StageDeadlines.RunningSeconds(new JobTiming(null, 7200, true)));
    }

    [Fact]
    public void RunningWithNeitherTimeoutNorRuntimeAssumesAnHour()
    {
        // 3600 + max(450, 300) + √3600 = 3600 + 450 + 60, exactly.
        Assert.Equal(4110, StageDeadlines.RunningSeconds(Vm));
        Assert.Equal(Now.AddSeconds(4110), Deadline("running", Hw));
    }

    [Fact]
    public void AnExplicitTimeoutIsAHardLimitWithoutSlack()
    {
        Assert.Equal(600, StageDeadlines.RunningSeconds(new JobTiming(600, null, false)));
        Assert.Equal(Now.AddSeconds(600), Deadline("running", new JobTiming(600, 300, false)));
        Assert.Equal(Now.AddSeconds(3600), Deadline("running", new JobTiming(3600, 86400, true)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void ATimeoutOfZeroOrLessCountsAsAbsent(int timeout)
    {
        // Falls through to the runtime rule: 1800 + max(225, 300) + √1800 = 2142.43…
        Assert.Equal(2143, StageDeadlines.RunningSeconds(new JobTiming(timeout, 1800, false)));
        Assert.Equal(4110, StageDeadlines.RunningSeconds(new JobTiming(timeout, 0, false)));
    }

    [Fact]
    public void TheLargestTimeoutsDoNotOverflow()
    {
        Assert.Equal(int.MaxValue, StageDeadlines.RunningSeconds(new JobTiming(int.MaxValue, null, false)));
        Assert.True(StageDeadlines.RunningSeconds(new JobTiming(null, int.MaxValue, false)) > int.MaxValue);
    }

    [Fact]
    public void AnUnknownStageIsAnErrorNotAMissingDeadline()
    {
        var error = Assert.Throws<ArgumentException>(() => StageDeadlines.DeadlineFor("exploded", Now, Vm));
        Assert.StartsWith("'exploded' is not a stage; use one of submit, boot,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenewAddsToAFutureDeadline()
    {
        Assert.Equal(Now.AddSeconds(1000 + 600), StageDeadlines.Renew(Now.AddSeconds(1000), Now, 600));
    }

    [Fact]
    public void RenewAfterThePassedDeadlineStartsFromNow()
    {
        Assert.Equal(Now.AddSeconds(600), StageDeadlines.Renew(Now.AddSeconds(-30), Now, 600));
        Assert.Equal(Now.AddSeconds(600), StageDeadlines.Renew(Now, Now, 600));
        Assert.Equal(Now.AddSeconds(600), StageDeadlines.Renew(null, Now, 600));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(StageDeadlines.MaxRenewSeconds + 1)]
    [InlineData(int.MaxValue)]
    public void RenewRefusesNothingOrTooMuch(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StageDeadlines.Renew(Now, Now, seconds));
    }

    [Fact]
    public void RenewAcceptsThirtyDays()
    {
        Assert.Equal(Now.AddDays(30), StageDeadlines.Renew(null, Now, StageDeadlines.MaxRenewSeconds));
    }
}
