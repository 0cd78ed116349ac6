using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// Decayed fair-share and the running cap on a real silo and MariaDB: machine time follows the shares whatever each
/// account submits, a late account is not stuck behind the backlog, priority still comes first, and a cap holds.
/// </summary>
public sealed class FairShareTests(FairShareSilo silo) : IClassFixture<FairShareSilo>
{
    /// <summary>How long each test job holds its testbox: the job's length, the same for every job.</summary>
    private static readonly TimeSpan JobLength = TimeSpan.FromMilliseconds(20);

    private static readonly Dictionary<string, string> NoTags = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Machine_time_follows_the_shares_a_late_account_gets_its_share_and_priority_still_comes_first()
    {
        // carol (2 shares) floods: ten times the jobs of alice and bob (1 share each), all submitted before theirs.
        await SubmitManyAsync("carol", 6000, "vm-fair");
        await SubmitManyAsync("alice", 600, "vm-fair");
        await SubmitManyAsync("bob", 600, "vm-fair");

        var first = await RunAsync("vm-fair", 2000);

        var time = await MachineSecondsAsync(first);
        var total = time.Values.Sum();
        var targets = new Dictionary<string, double> { ["alice"] = 0.25, ["bob"] = 0.25, ["carol"] = 0.5 };
        var report = string.Join("; ", targets.Keys.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{a}: {time.GetValueOrDefault(a):F2} s of {total:F2} s ({time.GetValueOrDefault(a) / total:P1}, target {targets[a]:P0})")));
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        foreach (var (account, target) in targets)
        {
            var share = time.GetValueOrDefault(account) / total;
            Assert.True(Math.Abs(share - target) <= target * 0.05, report);
        }

        // dave arrives late, with no usage: within the next 100 assignments he gets at least his share (1 of 5).
        await SubmitManyAsync("dave", 100, "vm-fair");
        var next = await RunAsync("vm-fair", 100);
        var daves = next.Count(j => j.Account == "dave");
        TestContext.Current.TestOutputHelper?.WriteLine($"dave got {daves} of the next 100 assignments");
        Assert.True(daves >= 20, $"dave got {daves} of the next 100 assignments");

        // The standings: every account with its shares; the heaviest user per share is last in line.
        var standings = JsonNode.Parse(await silo.Http.GetStringAsync("/api/v1/fairshare", Cancel))!["accounts"]!.AsArray();
        var byName = standings.ToDictionary(a => a!["my_account"]!.GetValue<string>(), a => a!.AsObject());
        Assert.Equal(2, byName["carol"]["shares"]!.GetValue<int>());
        // Five accounts have rows (erin too, for the cap test): 6 shares in all.
        Assert.Equal(2 / 6.0, byName["carol"]["share_fraction"]!.GetValue<double>(), 6);
        Assert.True(byName["alice"]["usage_seconds"]!.GetValue<double>() > 0);
        var one = JsonNode.Parse(await silo.Http.GetStringAsync("/api/v1/accounts/alice/usage", Cancel))!;
        Assert.Equal("alice", one["my_account"]!.GetValue<string>());
        using var unknown = await silo.Http.GetAsync("/api/v1/accounts/nobody-at-all/usage", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nobody-at-all", await unknown.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        // Priority first: a higher-priority job of the account furthest above its share goes before everything else.
        var last = standings.Where(a => a!["my_account"]!.GetValue<string>() is "alice" or "bob" or "carol")
            .MaxBy(a => a!["rank"]!.GetValue<double>())!["my_account"]!.GetValue<string>();
        var urgent = await silo.Client.SubmitAsync(new JsonObject { ["suite"] = "fair", ["my_account"] = last, ["tbox_group"] = "vm-fair", ["priority"] = 9 }, Cancel);
        var taken = await silo.Client.ConsumeAsync("vm-fair--h1-0", NoTags, 8, 5, cancellationToken: Cancel);
        Assert.Equal(urgent["id"]!.GetValue<string>(), taken!["id"]!.GetValue<string>());
        await FinishAsync(taken["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_account_never_holds_more_than_its_running_cap_and_why_says_so()
    {
        // erin's cap is 2 (accounts.running_limit); four testboxes want her six jobs.
        var ids = await SubmitManyAsync("erin", 6, "vm-cap");
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var mostHeld = 0;
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                mostHeld = Math.Max(mostHeld, await HeldAsync("erin"));
                await Task.Delay(TimeSpan.FromMilliseconds(5), watching.Token);  // the pace of looking, not a wait for anything
            }
        }, Cancel);

        // Two boxes take a job each and keep it; the other two must wait.
        var holding = new List<string>();
        for (var box = 0; box < 2; box++)
        {
            holding.Add((await silo.Client.ConsumeAsync($"vm-cap--h1-{box}", NoTags, 8, 5, cancellationToken: Cancel))!["id"]!.GetValue<string>());
        }

        Assert.Null(await silo.Client.ConsumeAsync("vm-cap--h1-2", NoTags, 8, 0, cancellationToken: Cancel));
        var waiting = ids.First(id => !holding.Contains(id));
        var why = JsonNode.Parse(await silo.Http.GetStringAsync($"/api/v1/jobs/{waiting}/why", Cancel))!["reasons"]!.AsArray();
        var cap = why.Single(r => r!["code"]!.GetValue<string>() == "running_cap")!["message"]!.GetValue<string>();
        Assert.Contains("account erin holds 2 jobs; its running cap is 2", cap, StringComparison.Ordinal);

        // Now all four boxes run the rest; each waiting box is woken when a slot frees.
        var done = new ConcurrentBag<string>(holding);
        foreach (var id in holding)
        {
            await FinishAsync(id);
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(box => Task.Run(async () =>
        {
            while (done.Count < ids.Count)
            {
                if (await silo.Client.ConsumeAsync($"vm-cap--h1-{box}", NoTags, 8, 2, cancellationToken: Cancel) is { } job)
                {
                    await Task.Delay(JobLength, Cancel);
                    await FinishAsync(job["id"]!.GetValue<string>());
                    done.Add(job["id"]!.GetValue<string>());
                }
            }
        }, Cancel)));
        await watching.CancelAsync();
        await watcher.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal(6, await Sql.ScalarAsync<int>(silo.ConnectionString, "SELECT COUNT(*) FROM jobs WHERE my_account = 'erin' AND job_stage = 'finish'"));
        Assert.InRange(mostHeld, 1, 2);
    }

    private async Task<int> HeldAsync(string account) =>
        await Sql.ScalarAsync<int>(silo.ConnectionString,
            $"SELECT COUNT(*) FROM jobs WHERE my_account = '{account}' AND job_stage IN ('boot', 'running', 'post_run', 'manual_check', 'renew')");

    private async Task<List<string>> SubmitManyAsync(string account, int count, string tboxGroup)
    {
        var ids = new ConcurrentBag<(int, string)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Cancel }, async (i, token) =>
        {
            var job = await silo.Client.SubmitAsync(new JsonObject { ["suite"] = "fair", ["my_account"] = account, ["tbox_group"] = tboxGroup }, token);
            ids.Add((i, job["id"]!.GetValue<string>()));
        });
        return [.. ids.OrderBy(x => x.Item1).Select(x => x.Item2)];
    }

    /// <summary>Eight testboxes of <paramref name="tboxGroup"/> take exactly <paramref name="assignments"/> jobs, each held for <see cref="JobLength"/> then finished.</summary>
    private async Task<List<(string Id, string Account)>> RunAsync(string tboxGroup, int assignments)
    {
        var taken = 0;
        var jobs = new ConcurrentQueue<(string, string)>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(box => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref taken) <= assignments)
            {
                var job = await silo.Client.ConsumeAsync($"{tboxGroup}--h1-{box}", NoTags, 8, 10, cancellationToken: Cancel)
                    ?? throw new InvalidOperationException("the queue ran dry");
                jobs.Enqueue((job["id"]!.GetValue<string>(), job["my_account"]!.GetValue<string>()));
                await Task.Delay(JobLength, Cancel);
                await FinishAsync(job["id"]!.GetValue<string>());
            }
        }, Cancel)));
        return [.. jobs];
    }

    private async Task FinishAsync(string id)
    {
        var (status, body) = await silo.Client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success" });
        Assert.True(status == HttpStatusCode.OK, $"finish {id} answered {(int)status}: {body?.ToJsonString()}");
    }

    /// <summary>Each account's machine time over <paramref name="jobs"/>, from the table: finish_time − boot_time.</summary>
    private async Task<Dictionary<string, double>> MachineSecondsAsync(List<(string Id, string Account)> jobs)
    {
        var rows = await Sql.RowsAsync(silo.ConnectionString,
            $"SELECT my_account, SUM(finish_time - boot_time) / 1000.0 AS seconds FROM jobs WHERE id IN ({string.Join(',', jobs.Select(j => j.Id))}) GROUP BY my_account");
        return rows.Select(r => r.Split(", ")).ToDictionary(
            r => r[0]["my_account=".Length..],
            r => double.Parse(r[1]["seconds=".Length..], CultureInfo.InvariantCulture));
    }
}
