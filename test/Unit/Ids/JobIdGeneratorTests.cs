using CompassCi.Grains.Jobs;

namespace CompassCi.Tests.Unit.Ids;

public sealed class JobIdGeneratorTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Ids_are_unique_and_increasing_even_past_4096_in_one_millisecond()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var ids = new JobIdGenerator(clock, node: 3);

        var made = Enumerable.Range(0, 10_000).Select(_ => ids.Next()).ToList();

        Assert.Equal(made.Count, made.Distinct().Count());
        Assert.Equal(made.Order(), made);
    }

    [Fact]
    public void Ids_sort_by_time_and_min_id_at_bounds_them()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var clock = new FixedClock(start);
        var ids = new JobIdGenerator(clock, node: 1023);

        var early = ids.Next();
        clock.Now = start.AddSeconds(1);
        var late = ids.Next();

        Assert.True(early < late);
        Assert.True(JobIdGenerator.MinIdAt(start) <= early);
        Assert.True(JobIdGenerator.MinIdAt(start.AddSeconds(1)) > early);
        Assert.True(JobIdGenerator.MinIdAt(start.AddSeconds(1)) <= late);
    }

    [Fact]
    public void Two_nodes_in_the_same_millisecond_give_different_ids()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

        Assert.NotEqual(new JobIdGenerator(clock, node: 1).Next(), new JobIdGenerator(clock, node: 2).Next());
    }
}
