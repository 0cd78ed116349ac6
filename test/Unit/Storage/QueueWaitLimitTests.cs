using CompassCi.Grains.Storage;

namespace CompassCi.Tests.Unit.Storage;

public sealed class QueueWaitLimitTests
{
    [Fact]
    public void The_limit_is_the_statement_timeout_or_the_cap_when_that_is_shorter_and_none_without_a_timeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), QueueWaitLimit.For(5).Max);
        Assert.Equal(TimeSpan.FromSeconds(2), QueueWaitLimit.For(5, TimeSpan.FromSeconds(2)).Max);
        Assert.Equal(TimeSpan.FromSeconds(1), QueueWaitLimit.For(1, TimeSpan.FromSeconds(2)).Max);
        Assert.Equal(Timeout.InfiniteTimeSpan, QueueWaitLimit.For(0, TimeSpan.FromSeconds(2)).Max);
    }

    [Fact]
    public void A_wait_up_to_the_limit_may_run_and_a_longer_one_fails_naming_what_waited_and_how_long()
    {
        var limit = QueueWaitLimit.For(5, TimeSpan.FromSeconds(2));

        Assert.Null(limit.Exceeded(TimeSpan.FromSeconds(2), "claim"));
        var error = limit.Exceeded(TimeSpan.FromSeconds(2.5), "claim");
        Assert.Equal("The claim waited 2.5 s for the database and was not run.", error?.Message);
        Assert.Null(QueueWaitLimit.For(0).Exceeded(TimeSpan.FromHours(1), "write"));
    }
}
