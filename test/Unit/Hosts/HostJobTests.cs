using static CompassCi.Tests.Unit.Hosts.HostJobs;

namespace CompassCi.Tests.Unit.Hosts;

public class HostJobTests
{
    [Theory]
    [InlineData(0, 10, 5, 15, true)]
    [InlineData(5, 15, 0, 10, true)]
    [InlineData(0, 20, 5, 10, true)]
    [InlineData(0, 10, 10, 20, false)]
    [InlineData(10, 20, 0, 10, false)]
    [InlineData(0, 10, 11, 20, false)]
    public void EndedJobsOverlapWhenTheirIntervalsShareAMoment(long start1, long end1, long start2, long end2, bool overlap)
    {
        Assert.Equal(overlap, Succeeded(1, start1, end1).Overlaps(Succeeded(2, start2, end2)));
    }

    [Fact]
    public void ARunningJobOverlapsEverythingThatEndsAfterItStarted()
    {
        var running = Running(1, 100);

        Assert.True(running.Overlaps(Succeeded(2, 50, 101)));
        Assert.True(running.Overlaps(Succeeded(3, 500, 600)));
        Assert.True(running.Overlaps(Running(4, 10)));
        Assert.False(running.Overlaps(Succeeded(5, 50, 100)));
    }
}
