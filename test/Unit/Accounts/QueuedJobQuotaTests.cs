using CompassCi.Grains.Accounts;

namespace CompassCi.Tests.Unit.Accounts;

public sealed class QueuedJobQuotaTests
{
    [Theory]
    [InlineData(0, 1, false, false)]
    [InlineData(4, 1, false, false)]   // reaches the soft limit exactly: no warning yet
    [InlineData(5, 1, true, false)]    // one beyond the soft limit
    [InlineData(9, 1, true, false)]    // reaches the hard limit exactly: still accepted
    [InlineData(10, 1, true, true)]    // one beyond the hard limit
    [InlineData(8, 3, true, true)]     // a three-node cluster counts three jobs
    public void Soft_and_hard_limits_count_the_jobs_being_added(long queued, int adding, bool warns, bool refuses)
    {
        var quota = new QueuedJobQuota("alice", queued, SoftLimit: 5, HardLimit: 10);

        Assert.Equal(warns, quota.Warning(adding) is not null);
        Assert.Equal(refuses, quota.Refusal(adding) is not null);
    }

    [Fact]
    public void The_refusal_names_the_account_the_count_and_the_limit()
    {
        var refusal = new QueuedJobQuota("alice", 10, 5, 10).Refusal(1);

        Assert.Equal("account 'alice' has 10 queued jobs; its hard limit is 10, so 1 more cannot be queued until some of them start or are cancelled", refusal);
    }
}
