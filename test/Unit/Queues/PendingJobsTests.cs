using CompassCi.Contracts.Jobs;
using CompassCi.Grains.Queues;

namespace CompassCi.Tests.Unit.Queues;

public sealed class PendingJobsTests
{
    [Fact]
    public void Higher_priority_comes_first_then_older_submit_time_then_lower_id()
    {
        var jobs = new PendingJobs();
        jobs.Add(new PendingJob(1, Priority: 5, SubmitTime: 100, MemoryMb: 0, "a"));
        jobs.Add(new PendingJob(2, Priority: 9, SubmitTime: 300, MemoryMb: 0, "a"));
        jobs.Add(new PendingJob(3, Priority: 9, SubmitTime: 200, MemoryMb: 0, "a"));
        jobs.Add(new PendingJob(4, Priority: 9, SubmitTime: 200, MemoryMb: 0, "a"));

        var order = new List<long>();
        while (jobs.Best(long.MaxValue) is { } best)
        {
            order.Add(best.Id);
            jobs.Remove(best.Id);
        }

        Assert.Equal([3L, 4L, 2L, 1L], order);
    }

    [Fact]
    public void The_best_job_is_the_first_in_order_that_fits_the_memory()
    {
        var jobs = new PendingJobs();
        jobs.Add(new PendingJob(1, 9, 100, MemoryMb: 65536, "a"));
        jobs.Add(new PendingJob(2, 5, 100, MemoryMb: 4096, "a"));
        jobs.Add(new PendingJob(3, 5, 200, MemoryMb: 1024, "a"));

        Assert.Equal(2, jobs.Best(8192)!.Id);
        Assert.Equal(3, jobs.Best(2048)!.Id);
        Assert.Null(jobs.Best(512));
        Assert.Equal(1, jobs.Best(65536)!.Id);
    }

    [Fact]
    public void A_job_added_twice_is_kept_once_and_removal_is_by_id()
    {
        var jobs = new PendingJobs();
        Assert.True(jobs.Add(new PendingJob(7, 5, 100, 0, "a")));
        Assert.False(jobs.Add(new PendingJob(7, 5, 100, 0, "a")));
        Assert.Equal(1, jobs.Count);
        Assert.Equal(100, jobs.OldestSubmitTime());
        Assert.True(jobs.Remove(7));
        Assert.False(jobs.Remove(7));
        Assert.Null(jobs.Best(long.MaxValue));
        Assert.Null(jobs.OldestSubmitTime());
    }
}
