using System.Collections.Concurrent;
using CompassCi.Client.Http;
using CompassCi.Contracts.Jobs;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Client;

/// <summary>
/// Issue 16's "Done when" for the HTTP SDK: a script submits 500 jobs, each with a submit_id, some at once, while the
/// silo is killed (SIGKILL) and started again behind the same address; every call succeeds in the end and exactly 500
/// jobs exist.
/// </summary>
public sealed class HttpRestartTests(MariaDbFixture database)
{
    private const int Jobs = 500;

    [Fact]
    public async Task Five_hundred_submits_with_submit_ids_all_land_exactly_once_across_a_killed_and_restarted_silo()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("httprestart");
        var cluster = "hr" + Guid.NewGuid().ToString("N")[..6];
        var silo = await SiloProcess.StartAsync(connectionString, cluster);
        SiloProcess? restarted = null;
        await using var proxy = new HttpSwitchableProxy(silo.BaseAddress.Port);
        try
        {
            await using var client = new CompassCiHttpClient(new CompassCiHttpOptions
            {
                BaseAddress = proxy.Address,
                AttemptTimeout = TimeSpan.FromSeconds(20),
                TotalBudget = TimeSpan.FromMinutes(4),
                MaxDelay = TimeSpan.FromSeconds(2),
            });
            var account = "restart-" + Guid.NewGuid().ToString("N")[..6];
            var done = 0;
            var killAt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var results = new ConcurrentDictionary<int, SubmitResult>();
            var script = Parallel.ForEachAsync(
                Enumerable.Range(1, Jobs),
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken },
                async (n, token) =>
                {
                    var body = $$"""{"suite":"ebizzy","my_account":"{{account}}","tbox_group":"vm-restart","submit_id":"bot-{{n}}","n":{{n}}}""";
                    results[n] = await client.SubmitAsync(new JobSubmission(body), token);
                    if (Interlocked.Increment(ref done) == Jobs / 4)
                    {
                        killAt.TrySetResult();
                    }
                });

            // A quarter in, the silo dies mid-run; a new one starts on the same database and the address follows it.
            await killAt.Task.WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
            await silo.KillAsync();
            var doneBeforeTheKill = Volatile.Read(ref done);
            restarted = await SiloProcess.StartAsync(connectionString, cluster);
            proxy.Retarget(restarted.BaseAddress.Port);
            await script;

            Assert.True(doneBeforeTheKill < Jobs, $"the silo died only after all {Jobs} submits: the run did not cross the restart");
            Assert.Equal(Jobs, results.Count);
            Assert.All(results, r => Assert.True(r.Value.Status is SubmitStatus.Created or SubmitStatus.AlreadySubmitted, $"bot-{r.Key}: {r.Value.Status} {string.Join("; ", r.Value.Errors.SelectMany(e => e.Value))}"));
            Assert.Equal(Jobs, results.Values.Select(r => r.Jobs[0].Id).Distinct().Count());
            Assert.Equal(Jobs, await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM jobs WHERE my_account = '{account}'"));
            Assert.Equal(Jobs, await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(DISTINCT submit_id) FROM submit_keys WHERE my_account = '{account}'"));
        }
        finally
        {
            await silo.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }
}
