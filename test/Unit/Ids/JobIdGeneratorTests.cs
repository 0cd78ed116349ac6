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

    [Fact]
    public void A_generator_draws_only_while_it_holds_a_node_and_its_lease_has_not_run_out()
    {
        var ids = new JobIdGenerator(new FixedClock(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)));
        Assert.Throws<JobIdsUnavailableException>(() => ids.Next());

        ids.Hold(7, System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency * 60);
        Assert.Equal(7, JobIdGenerator.NodeOf(ids.Next()));

        ids.Hold(7, System.Diagnostics.Stopwatch.GetTimestamp() - 1);
        Assert.Throws<JobIdsUnavailableException>(() => ids.Next());

        ids.Hold(9, System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency * 60);
        ids.Release();
        Assert.Throws<JobIdsUnavailableException>(() => ids.Next());
        Assert.Equal(-1, ids.Node);
    }
}
