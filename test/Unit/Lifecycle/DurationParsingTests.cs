using CompassCi.Grains.Lifecycle;
using Xunit;

namespace CompassCi.Tests.Unit.Lifecycle;

public class DurationParsingTests
{
    [Theory]
    [InlineData("300", 300)]
    [InlineData("300s", 300)]
    [InlineData("60", 60)]
    [InlineData("1800", 1800)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("1w", 604800)]
    [InlineData("1y", 31536000)]
    [InlineData("1.5h", 5400)]
    [InlineData("0.5m", 30)]
    [InlineData("0.5s", 1)]
    [InlineData("1.0001s", 2)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("007m", 420)]
    [InlineData(" 1h ", 3600)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("68y", 68 * 31536000)]
    public void LkpDurationsAreSeconds(string text, int expected)
    {
        Assert.True(StageDeadlines.TryParseDuration(text, out var seconds));
        Assert.Equal(expected, seconds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("h")]
    [InlineData("s")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("-1h")]
    [InlineData("1e3")]
    [InlineData("10M")]
    [InlineData("1H")]
    [InlineData("10 m")]
    [InlineData("10mm")]
    [InlineData("10min")]
    [InlineData("1h30m")]
    [InlineData("1.5.h")]
    [InlineData("1,5h")]
    [InlineData(".5h")]
    [InlineData("5.")]
    [InlineData("0x10")]
    [InlineData("abc")]
    [InlineData("forever")]
    [InlineData("2147483648")]
    [InlineData("69y")]
    [InlineData("99999999999999999999999999999")]
    [InlineData("١٢")]
    public void JunkIsRejected(string? text)
    {
        Assert.False(StageDeadlines.TryParseDuration(text, out var seconds));
        Assert.Equal(0, seconds);
    }

    [Fact]
    public void ParsedDurationsFeedTheRunningRule()
    {
        Assert.True(StageDeadlines.TryParseDuration("300s", out var runtime));
        Assert.True(StageDeadlines.TryParseDuration("10m", out var timeout));

        Assert.Equal(618, StageDeadlines.RunningSeconds(new JobTiming(null, runtime, false)));
        Assert.Equal(600, StageDeadlines.RunningSeconds(new JobTiming(timeout, runtime, false)));
    }
}
