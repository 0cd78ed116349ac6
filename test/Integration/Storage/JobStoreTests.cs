using CompassCi.Contracts.Jobs;
using CompassCi.Grains.Storage;
using CompassCi.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CompassCi.Tests.Integration.Storage;

/// <summary>The job table's guarantees, straight against MariaDB.</summary>
public sealed class JobStoreTests(MariaDbFixture database)
{
    private static readonly JobEvent Leased = new(2_000, "leased");

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

    private async Task<JobStore> StoreAsync()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("store");
        return new JobStore(Options.Create(new JobStoreOptions { ConnectionString = connectionString }), NullLogger<JobStore>.Instance);
    }

    [Fact]
    public async Task Concurrent_inserts_share_commits_and_every_one_is_stored()
    {
        await using var store = await StoreAsync();

        var results = await Task.WhenAll(Enumerable.Range(1, 500).Select(i => store.InsertAsync(Job(i, $"{{\"n\":{i}}}"))));

        Assert.All(results, Assert.True);
        for (var i = 1; i <= 500; i += 49)
        {
            Assert.Equal($"{{\"n\":{i}}}", (await store.GetAsync(i))!.Document);
        }
    }

    [Fact]
    public async Task An_id_taken_by_another_job_is_refused_but_the_same_job_again_is_accepted()
    {
        await using var store = await StoreAsync();
        Assert.True(await store.InsertAsync(Job(7, "{\"a\":1}")));

        var neighbours = Task.WhenAll(Enumerable.Range(100, 20).Select(i => store.InsertAsync(Job(i))));
        Assert.False(await store.InsertAsync(Job(7, "{\"a\":2}")));
        Assert.True(await store.InsertAsync(Job(7, "{\"a\":1}")));
        Assert.All(await neighbours, Assert.True);
        Assert.Equal("{\"a\":1}", (await store.GetAsync(7))!.Document);
    }

    [Fact]
    public async Task A_write_naming_a_stale_version_changes_nothing()
    {
        await using var store = await StoreAsync();
        await store.InsertAsync(Job(1));
        var booted = Job(1) with { Stage = JobStages.Boot, Testbox = "tb-1", LeaseId = "l1", Version = 2 };

        Assert.True(await store.AssignAsync(booted, expectedVersion: 1, attempt: 0, Leased));
        Assert.False(await store.AssignAsync(booted with { Testbox = "tb-2", Version = 3 }, expectedVersion: 1, attempt: 0, Leased));
        Assert.Equal("tb-1", (await store.GetAsync(1))!.Testbox);
    }

    [Fact]
    public async Task An_assignment_from_a_superseded_consume_attempt_never_lands()
    {
        await using var store = await StoreAsync();
        await store.InsertAsync(Job(1));
        Assert.Equal(1, await store.BeginConsumeAttemptAsync("req", "tb-1", 0));
        Assert.Equal(2, await store.BeginConsumeAttemptAsync("req", "tb-1", 0));
        var booted = Job(1) with { Stage = JobStages.Boot, Testbox = "tb-1", LeaseId = "req", Version = 2 };

        Assert.False(await store.AssignAsync(booted, expectedVersion: 1, attempt: 1, Leased));
        Assert.Equal(JobStages.Submit, (await store.GetAsync(1))!.Stage);
        Assert.True(await store.AssignAsync(booted, expectedVersion: 1, attempt: 2, Leased));
        Assert.Equal("req", (await store.FindByLeaseAsync("tb-1", "req"))!.LeaseId);
    }
}
