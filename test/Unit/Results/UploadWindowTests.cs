using CompassCi.Grains.Results;

namespace CompassCi.Tests.Unit.Results;

/// <summary>A job uploads while a testbox holds it and for the grace after it finished.</summary>
public sealed class UploadWindowTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 7, 12, 0, 0, TimeSpan.Zero);

    private static JobRecord Job(string stage, DateTimeOffset? finished = null) => new()
    {
        Id = 5,
        SubmitTime = 0,
        Account = "a",
        Suite = "s",
        QueueKey = "k",
        Stage = stage,
        Priority = 0,
        MemoryMb = 0,
        Version = 1,
        Document = "{}",
        FinishTime = finished?.ToUnixTimeMilliseconds(),
    };

    [Theory]
    [InlineData("boot")]
    [InlineData("running")]
    [InlineData("post_run")]
    [InlineData("manual_check")]
    [InlineData("renew")]
    public void Every_stage_a_testbox_holds_the_job_in_may_upload(string stage)
    {
        Assert.Null(UploadWindow.Refusal(Job(stage), Now, TimeSpan.Zero));
    }

    [Fact]
    public void A_pending_job_may_not_and_the_refusal_names_its_stage()
    {
        Assert.Contains("'submit'", UploadWindow.Refusal(Job("submit"), Now, TimeSpan.FromMinutes(5)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_finished_job_may_within_the_grace_and_not_after_it()
    {
        var grace = TimeSpan.FromMinutes(5);

        Assert.Null(UploadWindow.Refusal(Job("finish", Now - grace), Now, grace));
        var refusal = UploadWindow.Refusal(Job("finish", Now - grace - TimeSpan.FromMilliseconds(1)), Now, grace);
        Assert.Contains("finished at 2025-03-07T11:54:59.999+00:00", refusal, StringComparison.Ordinal);
        Assert.Contains("UploadGrace (00:05:00)", refusal, StringComparison.Ordinal);
    }
}
