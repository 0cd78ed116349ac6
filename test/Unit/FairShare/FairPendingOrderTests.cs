using CompassCi.Grains.Queues;

namespace CompassCi.Tests.Unit.FairShare;

public sealed class FairPendingOrderTests
{
    private static PendingJobs Jobs(params PendingJob[] jobs)
    {
        var pending = new PendingJobs();
        foreach (var job in jobs)
        {
            pending.Add(job);
        }

        return pending;
    }

    private static List<long> Drain(PendingJobs jobs, IAccountRanks? ranks, long memoryMb = long.MaxValue)
    {
        var order = new List<long>();
        while (jobs.Best(memoryMb, ranks) is { } best)
        {
            order.Add(best.Id);
            jobs.Remove(best.Id);
        }

        return order;
    }

    [Fact]
    public void The_best_ranked_account_goes_first_then_its_oldest_job()
    {
        var jobs = Jobs(
            new PendingJob(1, 5, SubmitTime: 100, 0, "busy"),
            new PendingJob(2, 5, SubmitTime: 300, 0, "idle"),
            new PendingJob(3, 5, SubmitTime: 200, 0, "idle"));
        var ranks = new FakeRanks(true, new() { ["busy"] = 10, ["idle"] = 1 });

        Assert.Equal(3, jobs.Best(long.MaxValue, ranks)!.Id);
    }

    [Fact]
    public void Priority_comes_before_the_account_rank()
    {
        var jobs = Jobs(
            new PendingJob(1, 5, 100, 0, "idle"),
            new PendingJob(2, 9, 900, 0, "busy"));
        var ranks = new FakeRanks(true, new() { ["busy"] = 1000, ["idle"] = 0 });

        Assert.Equal([2L, 1L], Drain(jobs, ranks));
    }

    [Fact]
    public void An_account_whose_jobs_do_not_fit_the_memory_gives_way_to_the_next_best_account()
    {
        var jobs = Jobs(
            new PendingJob(1, 5, 100, MemoryMb: 65536, "best"),
            new PendingJob(2, 5, 200, MemoryMb: 4096, "best"),
            new PendingJob(3, 5, 50, MemoryMb: 1024, "second"));
        var ranks = new FakeRanks(true, new() { ["best"] = 1, ["second"] = 2 });

        Assert.Equal(2, jobs.Best(8192, ranks)!.Id);
        Assert.Equal(3, jobs.Best(2048, ranks)!.Id);
        Assert.Null(jobs.Best(512, ranks));
    }

    [Fact]
    public void An_account_at_its_running_cap_is_skipped_even_in_a_higher_priority_class()
    {
        var jobs = Jobs(
            new PendingJob(1, 9, 100, 0, "capped"),
            new PendingJob(2, 5, 100, 0, "capped"),
            new PendingJob(3, 5, 200, 0, "free"));
        var ranks = new FakeRanks(true, new() { ["capped"] = 0, ["free"] = 50 }, "capped");

        Assert.Equal([3L], Drain(jobs, ranks));
        Assert.Equal(2, jobs.Count);
    }

    [Fact]
    public void With_fair_share_off_the_order_is_priority_then_submit_time_then_id_whatever_the_ranks()
    {
        PendingJob[] all =
        [
            new(1, 5, 100, 0, "a"), new(2, 9, 300, 0, "b"), new(3, 9, 200, 0, "c"), new(4, 9, 200, 0, "a"),
            new(5, 5, 50, 0, "b"), new(6, 1, 10, 0, "c"), new(7, 9, 200, 0, "b"),
        ];
        var off = new FakeRanks(false, new() { ["a"] = 100, ["b"] = 0, ["c"] = 50 });
        var expected = all.Order(PendingOrder.Instance).Select(j => j.Id).ToList();

        Assert.Equal([3L, 4L, 7L, 2L, 5L, 1L, 6L], expected);
        Assert.Equal(expected, Drain(Jobs(all), off));
        Assert.Equal(expected, Drain(Jobs(all), ranks: null));
    }

    [Fact]
    public void With_fair_share_off_the_memory_filter_takes_the_first_fitting_job_across_accounts()
    {
        var jobs = Jobs(
            new PendingJob(1, 5, 100, MemoryMb: 65536, "a"),
            new PendingJob(2, 5, 200, MemoryMb: 4096, "b"),
            new PendingJob(3, 5, 300, MemoryMb: 1024, "a"));
        var off = new FakeRanks(false, new() { ["a"] = 0, ["b"] = 100 });

        Assert.Equal(2, jobs.Best(8192, off)!.Id);
        Assert.Equal(3, jobs.Best(2048, off)!.Id);
        Assert.Equal(1, jobs.Best(65536, off)!.Id);
    }
}
