using CompassCi.Grains.Queues;

namespace CompassCi.Tests.Unit.Queues;

public sealed class QueueWaitersTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task An_arrival_wakes_the_oldest_waiter_only()
    {
        var waiters = new QueueWaiters();
        var first = waiters.WaitAsync(knownArrivals: 4, Long, TestContext.Current.CancellationToken);
        var second = waiters.WaitAsync(knownArrivals: 4, Long, TestContext.Current.CancellationToken);

        Assert.True(waiters.WakeOne(arrivals: 5));

        Assert.True(await first);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, waiters.Count);
        Assert.True(waiters.WakeOne(arrivals: 6));
        Assert.True(await second);
    }

    [Fact]
    public async Task A_waiter_that_has_seen_the_latest_arrival_is_not_woken_so_a_miss_wakes_each_waiter_at_most_once()
    {
        var waiters = new QueueWaiters();
        var cameBack = waiters.WaitAsync(knownArrivals: 5, Long, TestContext.Current.CancellationToken);

        Assert.False(waiters.WakeOne(arrivals: 5));
        Assert.False(cameBack.IsCompleted);
        Assert.True(waiters.WakeOne(arrivals: 6));
        Assert.True(await cameBack);
    }

    [Fact]
    public async Task A_waiter_skipped_for_having_seen_everything_lets_an_older_waiter_behind_it_be_woken()
    {
        var waiters = new QueueWaiters();
        var current = waiters.WaitAsync(knownArrivals: 7, Long, TestContext.Current.CancellationToken);
        var behind = waiters.WaitAsync(knownArrivals: 6, Long, TestContext.Current.CancellationToken);

        Assert.True(waiters.WakeOne(arrivals: 7));

        Assert.True(await behind);
        Assert.False(current.IsCompleted);
    }

    [Fact]
    public async Task A_timed_out_or_cancelled_waiter_answers_false_and_leaves_the_line()
    {
        var waiters = new QueueWaiters();
        using var cancel = new CancellationTokenSource();
        var timedOut = waiters.WaitAsync(1, TimeSpan.FromMilliseconds(1), TestContext.Current.CancellationToken);
        var cancelled = waiters.WaitAsync(1, Long, cancel.Token);

        Assert.False(await timedOut);
        await cancel.CancelAsync();
        Assert.False(await cancelled);
        Assert.Equal(0, waiters.Count);
        Assert.False(waiters.WakeOne(arrivals: 2));
    }
}
