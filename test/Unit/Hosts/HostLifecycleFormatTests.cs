using CompassCi.Grains.Hosts;
using CompassCi.Grains.Lifecycle;
using static CompassCi.Tests.Unit.Hosts.HostJobs;

namespace CompassCi.Tests.Unit.Hosts;

public class HostLifecycleFormatTests
{
    /// <summary>The job the lifecycle is for: it ran from 1000 to 2000.</summary>
    private static readonly HostJob Job = Failed(200, 1000, 2000);

    /// <summary><paramref name="count"/> jobs in a row that succeeded well before <see cref="Job"/>, ids from <paramref name="firstId"/>.</summary>
    private static IEnumerable<HostJob> Successes(long firstId, int count, long firstStart) =>
        Enumerable.Range(0, count).Select(i => Succeeded(firstId + i, firstStart + (i * 10), firstStart + (i * 10) + 5));

    [Fact]
    public void TheWorkedExampleReadsAsDocumented()
    {
        HostJob[] touched =
        [
            SetUp(101, 0, 10),
            .. Successes(102, 4, 100),
            Failed(107, 200, 300),
            Running(109, 1500),
            Job,
        ];

        Assert.Equal("@101 [4] 107 +109", HostLifecycleFormat.Format(Job, touched));
    }

    [Fact]
    public void JobsThatRanAlongsideAreMarkedWithPlus()
    {
        HostJob[] touched =
        [
            Succeeded(1, 0, 1000), // ended as the job started: before it, not alongside
            Succeeded(2, 500, 1500),
            Succeeded(3, 1200, 1800),
            Running(4, 900),
            Succeeded(5, 1999, 2500),
        ];

        Assert.Equal("1 +2 +4 +3 +5", HostLifecycleFormat.Format(Job, touched));
    }

    [Fact]
    public void SetupJobsAreMarkedWithAtAndTheSetupMarkComesFirst()
    {
        HostJob[] touched = [SetUp(1, 0, 10), SetUp(2, 1500, 1600)];

        Assert.Equal("@1 @+2", HostLifecycleFormat.Format(Job, touched));
    }

    [Fact]
    public void ARunOfExactlyElideAboveSuccessesIsWrittenOut()
    {
        var touched = Successes(1, HostLifecycleFormat.ElideAbove, 0).ToList();

        Assert.Equal("1 2 3", HostLifecycleFormat.Format(Job, touched));
    }

    [Fact]
    public void ARunOfOneMoreThanElideAboveSuccessesIsElided()
    {
        var touched = Successes(1, HostLifecycleFormat.ElideAbove + 1, 0).ToList();

        Assert.Equal("[4]", HostLifecycleFormat.Format(Job, touched));
    }

    [Fact]
    public void AFailureBreaksARunOfSuccessesInTwo()
    {
        HostJob[] elided = [.. Successes(1, 4, 0), Failed(5, 100, 110), .. Successes(6, 5, 200)];
        HostJob[] kept = [.. Successes(1, 3, 0), Crashed(4, 100, 110, CrashCause.Testbox), .. Successes(5, 3, 200)];

        Assert.Equal("[4] 5 [5]", HostLifecycleFormat.Format(Job, elided));
        Assert.Equal("1 2 3 4 5 6 7", HostLifecycleFormat.Format(Job, kept));
    }

    [Fact]
    public void SetupConcurrentOddHealthAndRunningJobsAreNeverElidedAndBreakRuns()
    {
        HostJob[] touched =
        [
            .. Successes(1, 4, 0),
            SetUp(5, 100, 110),
            .. Successes(6, 4, 200),
            new HostJob(10, "vm-2p8g--h1-0", 300, 310, false, JobHealth.Incomplete, null),
            .. Successes(11, 4, 400),
            Succeeded(15, 700, 1100),
            .. Successes(16, 4, 800),
            Running(20, 1900),
        ];

        Assert.Equal("[4] @5 [4] 10 [4] +15 [4] +20", HostLifecycleFormat.Format(Job, touched));
    }

    [Fact]
    public void TheJobItselfIsLeftOut()
    {
        HostJob[] touched = [Succeeded(1, 0, 10), Job];

        Assert.Equal("1", HostLifecycleFormat.Format(Job, touched));
        Assert.Equal([1L], HostLifecycleFormat.Suspects(Job, touched).Select(j => j.JobId));
    }

    [Fact]
    public void JobsThatStartedOnceTheJobEndedAreLeftOut()
    {
        HostJob[] touched = [Succeeded(1, 0, 10), Succeeded(2, 2000, 2100), Running(3, 2500)];

        Assert.Equal("1", HostLifecycleFormat.Format(Job, touched));
    }

    [Fact]
    public void WhileTheJobRunsEveryOtherJobCounts()
    {
        var running = Running(200, 1000);
        HostJob[] touched = [Succeeded(1, 0, 10), Succeeded(2, 2000, 2100), running];

        Assert.Equal("1 +2", HostLifecycleFormat.Format(running, touched));
    }

    [Fact]
    public void NothingElseOnTheHostIsTheEmptyString()
    {
        Assert.Equal("", HostLifecycleFormat.Format(Job, []));
        Assert.Equal("", HostLifecycleFormat.Format(Job, [Job]));
        Assert.Equal("", HostLifecycleFormat.Format(Job, [Succeeded(1, 3000, 3100)]));
    }

    [Fact]
    public void EntriesGoByStartTimeThenIdAndEachJobOnce()
    {
        HostJob[] touched = [Failed(9, 50, 60), Failed(3, 10, 20), Failed(7, 10, 30), Failed(3, 10, 20)];

        Assert.Equal("3 7 9", HostLifecycleFormat.Format(Job, touched));
    }

    [Fact]
    public void SuspectsAreTheListedJobsInOrderWithoutEliding()
    {
        HostJob[] touched = [Running(30, 1500), .. Successes(1, 5, 0), Job, Succeeded(40, 2500, 2600)];

        Assert.Equal([1L, 2, 3, 4, 5, 30], HostLifecycleFormat.Suspects(Job, touched).Select(j => j.JobId));
        Assert.Equal("[5] +30", HostLifecycleFormat.Format(Job, touched));
    }
}
