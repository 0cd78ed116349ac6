using CompassCi.Grains.Hosts;
using CompassCi.Grains.Lifecycle;
using static CompassCi.Tests.Unit.Hosts.HostJobs;

namespace CompassCi.Tests.Unit.Hosts;

public class QuarantineRuleTests
{
    private static HostJob TestboxCrash(long id, long end) => Crashed(id, end - 10, end, CrashCause.Testbox);

    [Fact]
    public void TheNewestCrashesAllOnTheTestboxQuarantine()
    {
        HostJob[] newestFirst = [TestboxCrash(5, 500), TestboxCrash(4, 400), TestboxCrash(3, 300), Succeeded(2, 100, 200)];

        Assert.True(QuarantineRule.ShouldQuarantine(newestFirst, 3));
        Assert.False(QuarantineRule.ShouldQuarantine(newestFirst, 4));
    }

    [Fact]
    public void ASuccessOrAnotherCauseAmongTheNewestDoesNot()
    {
        HostJob[] success = [TestboxCrash(5, 500), Succeeded(4, 390, 400), TestboxCrash(3, 300)];
        HostJob[] task = [TestboxCrash(5, 500), Crashed(4, 390, 400, CrashCause.Task), TestboxCrash(3, 300)];

        Assert.False(QuarantineRule.ShouldQuarantine(success, 3));
        Assert.False(QuarantineRule.ShouldQuarantine(task, 3));
        Assert.True(QuarantineRule.ShouldQuarantine(task, 1));
    }

    [Fact]
    public void RunningJobsAreSkipped()
    {
        HostJob[] newestFirst = [Running(6, 550), TestboxCrash(5, 500), TestboxCrash(4, 400)];

        Assert.True(QuarantineRule.ShouldQuarantine(newestFirst, 2));
    }

    [Fact]
    public void TooFewEndedJobsDoNotQuarantine()
    {
        HostJob[] newestFirst = [Running(6, 550), TestboxCrash(5, 500), TestboxCrash(4, 400)];

        Assert.False(QuarantineRule.ShouldQuarantine(newestFirst, 3));
        Assert.False(QuarantineRule.ShouldQuarantine([], 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AThresholdBelowOneNeverQuarantines(int consecutive)
    {
        Assert.False(QuarantineRule.ShouldQuarantine([TestboxCrash(5, 500)], consecutive));
    }

    [Fact]
    public void TheNewestAreFoundByEndTimeWhateverTheOrderGiven()
    {
        HostJob[] misordered = [Succeeded(1, 10, 20), TestboxCrash(5, 500), TestboxCrash(4, 400)];

        Assert.True(QuarantineRule.ShouldQuarantine(misordered, 2));
    }

    [Fact]
    public void SuspectsStartedBeforeTheFirstFailureAndAreOrderedByStart()
    {
        var first = Crashed(10, 1000, 1100, CrashCause.Testbox);
        var second = Crashed(11, 1200, 1300, CrashCause.Testbox);
        HostJob[] touched =
        [
            second,
            Succeeded(3, 300, 400),
            SetUp(1, 0, 100),
            Running(4, 900),
            first,
            Succeeded(12, 1050, 1150), // started after the first failure: not a suspect
            Succeeded(2, 200, 300),
        ];

        var suspects = QuarantineRule.Suspects(touched, [second, first]);

        Assert.Equal([1L, 2, 3, 4], suspects.Select(j => j.JobId));
    }

    [Fact]
    public void FailuresAreNeverTheirOwnSuspects()
    {
        var early = Failed(5, 0, 10);
        var later = Failed(6, 500, 600);
        HostJob[] touched = [early, Succeeded(1, 100, 200), later, Failed(7, 50, 60)];

        // 7 as the host saw it started before 6; as the failure list has it, it started last. Either way it is a failure.
        Assert.Equal([5L, 1], QuarantineRule.Suspects(touched, [later, Failed(7, 700, 800)]).Select(j => j.JobId));
        Assert.Empty(QuarantineRule.Suspects(touched, [early, later]));
    }

    [Fact]
    public void NoFailuresNoSuspects()
    {
        Assert.Empty(QuarantineRule.Suspects([Succeeded(1, 0, 10)], []));
    }
}
