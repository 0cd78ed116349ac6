using CompassCi.Contracts.Jobs;
using CompassCi.Grains.Effects;
using CompassCi.Grains.Jobs;
using CompassCi.Grains.Storage;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Storage;

/// <summary>The job table's guarantees, straight against MariaDB: shared commits, conditional writes, and what rides with a write.</summary>
public sealed class JobStoreTests(MariaDbFixture database)
{
    private static readonly JobHistoryEntry Leased = new(2_000, "leased");

    private static JobRecord Job(long id, string document = "{}") => new()
    {
        Id = id,
        SubmitTime = 1_000 + id,
        Account = "acct",
        Suite = "suite",
        QueueKey = "arch=x86_64",
        Stage = JobStages.Submit,
        Priority = 5,
        MemoryMb = 0,
        Version = 1,
        Document = document,
    };

    private static JobChange Boot(JobRecord job, string testbox, string lease) =>
        new(job, job with { Stage = JobStages.Boot, Testbox = testbox, LeaseId = lease, Version = job.Version + 1 }, [Leased], []);

    [Fact]
    public async Task Concurrent_inserts_share_commits_and_every_one_is_stored()
    {
        await using var stores = await Stores.CreateAsync(database, "store");

        var results = await Task.WhenAll(Enumerable.Range(1, 500).Select(i => stores.Jobs.InsertAsync(Job(i, $"{{\"n\":{i}}}"))));

        Assert.All(results, Assert.True);
        for (var i = 1; i <= 500; i += 49)
        {
            Assert.Equal($"{{\"n\":{i}}}", (await stores.Jobs.GetAsync(i))!.Document);
        }
    }

    [Fact]
    public async Task An_id_taken_by_another_job_is_refused_but_the_same_job_again_is_accepted()
    {
        await using var stores = await Stores.CreateAsync(database, "store");
        Assert.True(await stores.Jobs.InsertAsync(Job(7, "{\"a\":1}")));

        var neighbours = Task.WhenAll(Enumerable.Range(100, 20).Select(i => stores.Jobs.InsertAsync(Job(i))));
        Assert.False(await stores.Jobs.InsertAsync(Job(7, "{\"a\":2}")));
        Assert.True(await stores.Jobs.InsertAsync(Job(7, "{\"a\":1}")));
        Assert.All(await neighbours, Assert.True);
        Assert.Equal("{\"a\":1}", (await stores.Jobs.GetAsync(7))!.Document);
    }

    [Fact]
    public async Task A_taken_submit_key_stores_neither_the_job_nor_the_key()
    {
        await using var stores = await Stores.CreateAsync(database, "store");
        var key = new SubmitKey("acct", "nightly-1", new string('a', 64));
        Assert.True(await stores.Jobs.InsertAsync(Job(1), key));

        Assert.False(await stores.Jobs.InsertAsync(Job(2), key with { Digest = new string('b', 64) }));

        Assert.Null(await stores.Jobs.GetAsync(2));
        Assert.Equal((1L, new string('a', 64)), await stores.SubmitKeys.FindAsync("acct", "nightly-1"));
        Assert.Null(await stores.SubmitKeys.FindAsync("other", "nightly-1"));
    }

    [Fact]
    public async Task A_write_naming_a_stale_version_changes_nothing()
    {
        await using var stores = await Stores.CreateAsync(database, "store");
        await stores.Jobs.InsertAsync(Job(1));

        Assert.True(await stores.Jobs.ApplyAsync(Boot(Job(1), "tb-1", "l1"), 2_000));
        Assert.False(await stores.Jobs.ApplyAsync(Boot(Job(1), "tb-2", "l2"), 2_000));
        Assert.Equal("tb-1", (await stores.Jobs.GetAsync(1))!.Testbox);
    }

    [Fact]
    public async Task Effects_and_a_successor_are_written_with_their_change_and_never_without_it()
    {
        await using var stores = await Stores.CreateAsync(database, "store");
        await stores.Jobs.InsertAsync(Job(1));
        var ended = Job(1) with { Stage = JobStages.Finish, Health = JobHealth.Crash, Version = 2, RescheduledAs = 2 };
        var change = new JobChange(Job(1), ended, [new JobHistoryEntry(3_000, "finished"), new JobHistoryEntry(3_000, "rescheduled")],
            [new JobEffect(JobEffectKinds.HostJobEnded, "h1"), new JobEffect(JobEffectKinds.Enqueue, "arch=x86_64", 2)], Job(2) with { SubmitTime = 3_000, Attempt = 2, RescheduledFrom = 1 });

        Assert.True(await stores.Jobs.ApplyAsync(change, 3_000));
        var stale = change with { Successor = Job(3), Effects = [new JobEffect(JobEffectKinds.Dequeue, "arch=x86_64")] };
        Assert.False(await stores.Jobs.ApplyAsync(stale, 3_000));

        Assert.Equal(2, (await stores.Jobs.GetAsync(2))!.Attempt);
        Assert.Null(await stores.Jobs.GetAsync(3));
        var effects = await stores.Effects.ListForJobAsync(1);
        Assert.Equal([JobEffectKinds.Enqueue, JobEffectKinds.HostJobEnded], effects.Select(e => e.Entry.Effect.Kind).Order(StringComparer.Ordinal));
        Assert.All(effects, e => Assert.Equal(2, e.Entry.Version));
        Assert.Equal(2, effects.Single(e => e.Entry.Effect.Kind == JobEffectKinds.Enqueue).Entry.Effect.Subject);
        Assert.Equal("[\"submitted\", \"finished\", \"rescheduled\"]", await Sql.ScalarAsync<string>(stores.ConnectionString, "SELECT JSON_EXTRACT(events, '$[*].event') FROM jobs WHERE id = 1"));
    }

    [Fact]
    public async Task An_effect_is_claimed_for_redelivery_once_and_done_effects_are_not_due()
    {
        await using var stores = await Stores.CreateAsync(database, "store");
        await stores.Jobs.InsertAsync(Job(1));
        var change = Boot(Job(1), "tb-1", "l1") with { Effects = [new JobEffect(JobEffectKinds.HostJobEnded, "h1"), new JobEffect(JobEffectKinds.Dequeue, "k")] };
        Assert.True(await stores.Jobs.ApplyAsync(change, 1_000));

        Assert.Empty(await stores.Effects.ListDueAsync(1_000, 10));
        var due = await stores.Effects.ListDueAsync(1_000 + (long)TimeSpan.FromMinutes(1).TotalMilliseconds, 10);
        Assert.Equal(2, due.Count);
        var host = due.Single(e => e.Effect.Kind == JobEffectKinds.HostJobEnded);
        Assert.True(await stores.Effects.ClaimAsync(host, 500_000));
        Assert.False(await stores.Effects.ClaimAsync(host, 500_000));
        await stores.Effects.MarkDoneAsync(1, 2, [JobEffectKinds.Dequeue], 2_000);

        var left = await stores.Effects.ListDueAsync(400_000, 10);
        Assert.Empty(left);
        Assert.Equal(2, (await stores.Effects.ListForJobAsync(1)).Single(e => e.Entry.Effect.Kind == JobEffectKinds.HostJobEnded).Entry.Attempts);
    }

    [Fact]
    public async Task An_assignment_from_a_superseded_consume_attempt_never_lands()
    {
        await using var stores = await Stores.CreateAsync(database, "store");
        await stores.Jobs.InsertAsync(Job(1));
        Assert.Equal(1, await stores.ConsumeRequests.BeginAttemptAsync("req", "tb-1", 0));
        Assert.Equal(2, await stores.ConsumeRequests.BeginAttemptAsync("req", "tb-1", 0));

        Assert.False(await stores.Jobs.ApplyAsync(Boot(Job(1), "tb-1", "req"), 2_000, fenceAttempt: 1));
        Assert.Equal(JobStages.Submit, (await stores.Jobs.GetAsync(1))!.Stage);
        Assert.True(await stores.Jobs.ApplyAsync(Boot(Job(1), "tb-1", "req"), 2_000, fenceAttempt: 2));
        Assert.Equal("req", (await stores.Jobs.FindByLeaseAsync("tb-1", "req"))!.LeaseId);
    }
}
