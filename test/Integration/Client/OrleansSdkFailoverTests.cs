using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CompassCi.Client;
using CompassCi.Client.Cluster;
using CompassCi.Contracts.Jobs;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Client;

/// <summary>
/// Issue 16's "done when" for the Orleans SDK: in a two-silo cluster a bot (<see cref="CompassCiOrleansClient"/>)
/// submits 500 jobs with submit_ids while one silo is SIGKILLed and restarted; every call succeeds in the end, exactly
/// 500 jobs exist, and the watch it keeps on a job it drives as a testbox sees that job's whole history in order.
/// </summary>
public sealed class OrleansSdkFailoverTests(MariaDbFixture database)
{
    private const int Jobs = 500;
    private const int Concurrency = 8;

    [Fact]
    public async Task A_bot_submits_500_jobs_through_a_silo_kill_and_its_watch_sees_every_change_of_the_job_it_drives()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateMigratedDatabaseAsync("sdkkill");
        var cluster = "sk" + Guid.NewGuid().ToString("N")[..6];
        await using var survivor = await SiloProcess.StartAsync(connectionString, cluster);
        var victim = await SiloProcess.StartAsync(connectionString, cluster);
        SiloProcess? restarted = null;
        var retried = new ConcurrentBag<string>();
        try
        {
            await using var bot = await CompassCiOrleansClient.ConnectAsync(
                new OrleansClientOptions
                {
                    ClusterId = cluster,
                    ServiceId = cluster,
                    ConnectionString = connectionString,
                    Resilience = new ClusterResilienceOptions { OnRetry = failure => retried.Add(failure.GetType().Name) },
                }, ct);

            // The job the bot follows, and drives as its testbox.
            var followed = Assert.Single((await bot.SubmitAsync(new JobSubmission("""{"suite": "ebizzy", "my_account": "bot", "tbox_group": "vm-follow", "submit_id": "follow"}"""), ct)).Jobs);
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var seen = new List<JobEvent>();
            var watch = Task.Run(async () =>
            {
                await foreach (var change in bot.WatchJobAsync(followed.Id, cancellationToken: watching.Token))
                {
                    seen.Add(change);
                    if (change.Stage == JobStages.Finish)
                    {
                        return;
                    }
                }
            }, ct);

            var taken = await bot.ConsumeAsync(new ConsumeAsk { Testbox = "vm-follow--1", RequestId = "take-1", WaitSeconds = 10 }, ct);
            Assert.Equal((ConsumeStatus.Job, followed.Id), (taken.Status, taken.Job?.Id));
            Assert.Equal(JobStages.Running, (await bot.ChangeStageAsync(followed.Id, JobStages.Running, "vm-follow--1", ct)).Stage);

            // 500 submits, 8 at a time; the victim dies a fifth of the way in and comes back at three fifths.
            var done = 0;
            var killedAt = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var restartAt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var ids = new ConcurrentDictionary<string, string>();
            var next = -1;
            var submitters = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < Jobs; i = Interlocked.Increment(ref next))
                {
                    var body = $$"""{"suite": "ebizzy", "my_account": "bot", "tbox_group": "vm-bulk", "submit_id": "bulk-{{i}}"}""";
                    var result = await bot.SubmitAsync(new JobSubmission(body), ct);
                    Assert.True(result.Status is SubmitStatus.Created or SubmitStatus.AlreadySubmitted, $"submit {i}: {result.Status}");
                    ids[$"bulk-{i}"] = Assert.Single(result.Jobs).Id;
                    var count = Interlocked.Increment(ref done);
                    if (count == Jobs / 5)
                    {
                        killedAt.TrySetResult(count);
                    }
                    else if (count == Jobs * 3 / 5)
                    {
                        restartAt.TrySetResult();
                    }
                }
            }, ct)).ToArray();

            await killedAt.Task.WaitAsync(ct);
            await victim.KillAsync();
            Assert.True(victim.HasExited);
            await restartAt.Task.WaitAsync(ct);
            restarted = await SiloProcess.StartAsync(connectionString, cluster);
            await Task.WhenAll(submitters); // any call that failed for good rethrows here

            // Past the kill and the restart, the bot drives its job to the end.
            Assert.Equal(JobStages.PostRun, (await bot.ChangeStageAsync(followed.Id, JobStages.PostRun, "vm-follow--1", ct)).Stage);
            var finished = await bot.FinishAsync(followed.Id, JobHealth.Success, testbox: "vm-follow--1", cancellationToken: ct);
            Assert.Equal((JobStages.Finish, JobHealth.Success), (finished.Stage, finished.Health));
            await watch.WaitAsync(TimeSpan.FromMinutes(2), ct);

            // The kill came while calls were in flight: some failed transiently and were repeated (with their submit_id).
            Assert.NotEmpty(retried);
            Assert.Equal(Jobs, ids.Count);
            Assert.Equal(Jobs, ids.Values.Distinct().Count());
            Assert.Equal(Jobs, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM submit_keys WHERE my_account = 'bot' AND submit_id LIKE 'bulk-%'"));
            Assert.Equal(Jobs + 1, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs"));

            // The watch saw the job's history entry by entry, in order, none twice, none missed (up to its end).
            using var http = survivor.CreateClient();
            var history = JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs/{followed.Id}/events", ct))!["events"]!.AsArray()
                .Select(e => e!["event"]!.GetValue<string>()).Take(seen.Count).ToList();
            Assert.Equal(["submitted", "leased", "stage", "stage", "finished"], seen.Select(e => e.Event));
            Assert.Equal(history, seen.Select(e => e.Event));
            Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), seen.Select(e => e.Id));
            Assert.Equal([JobStages.Submit, JobStages.Boot, JobStages.Running, JobStages.PostRun, JobStages.Finish], seen.Select(e => e.Stage));
        }
        finally
        {
            await victim.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }
}
