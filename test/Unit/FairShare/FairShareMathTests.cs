using CompassCi.Grains.FairShare;

namespace CompassCi.Tests.Unit.FairShare;

public sealed class FairShareMathTests
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public void Usage_halves_every_half_life_and_does_not_grow_backwards_in_time()
    {
        Assert.Equal(100, FairShareMath.Decay(100, 0, 0, Day), 9);
        Assert.Equal(50, FairShareMath.Decay(100, 0, (long)Day.TotalMilliseconds, Day), 9);
        Assert.Equal(25, FairShareMath.Decay(100, 0, (long)(2 * Day.TotalMilliseconds), Day), 9);
        Assert.Equal(100 * Math.Pow(0.5, 0.25), FairShareMath.Decay(100, 1000, 1000 + (long)(Day.TotalMilliseconds / 4), Day), 9);
        Assert.Equal(100, FairShareMath.Decay(100, 5000, 1000, Day), 9);
    }

    [Fact]
    public void Rank_is_usage_plus_held_and_claiming_jobs_at_the_mean_length_per_share()
    {
        Assert.Equal((100 + (3 * 10)) / 2.0, FairShareMath.Rank(100, held: 2, claiming: 1, meanJobUsage: 10, shares: 2), 9);
        Assert.Equal(0, FairShareMath.Rank(0, 0, 0, 10, 1), 9);
        // Twice the shares, twice the usage: the same place in line.
        Assert.Equal(FairShareMath.Rank(100, 1, 0, 10, 1), FairShareMath.Rank(200, 2, 0, 10, 2), 9);
    }

    [Fact]
    public void The_slurm_factor_is_one_when_idle_one_half_at_the_share_and_lower_above_it()
    {
        Assert.Equal(1, FairShareMath.Factor(usageShare: 0, shareFraction: 0.25), 9);
        Assert.Equal(0.5, FairShareMath.Factor(usageShare: 0.25, shareFraction: 0.25), 9);
        Assert.Equal(0.25, FairShareMath.Factor(usageShare: 0.5, shareFraction: 0.25), 9);
        Assert.Equal(0, FairShareMath.Factor(usageShare: 0.5, shareFraction: 0), 9);
    }

    [Fact]
    public void A_job_uses_its_machine_seconds_times_its_memory_in_gib_when_weighted_and_at_least_one_gib()
    {
        Assert.Equal(30, FairShareMath.JobUsage(30, memoryMb: 8192, weightByMemory: false), 9);
        Assert.Equal(240, FairShareMath.JobUsage(30, memoryMb: 8192, weightByMemory: true), 9);
        Assert.Equal(30, FairShareMath.JobUsage(30, memoryMb: 0, weightByMemory: true), 9);
        Assert.Equal(0, FairShareMath.JobUsage(-5, memoryMb: 0, weightByMemory: false), 9);
    }
}
