using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Contracts.Jobs;
using CompassCi.Contracts.Watch;
using CompassCi.Tests.Integration.Infrastructure;
using Orleans;

namespace CompassCi.Tests.Integration.Watch;

/// <summary>
/// Two silos on one database, and an Orleans client: a watcher on one silo sees what is done through the other, and
/// <see cref="IJobWatchGrain"/> answers the same events as the SSE watch.
/// </summary>
public sealed class CrossSiloWatchTests(MariaDbFixture database) : IAsyncLifetime
{
    // Generous: the change must cross silos; it is asserted to arrive, not how fast.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private SiloProcess? _a;
    private SiloProcess? _b;
    private HttpClient? _httpA;
    private HttpClient? _httpB;
    private OrleansClientHost? _clientHost;

    private IJobWatchGrain Watch => _clientHost!.Client.GetGrain<IJobWatchGrain>(0);

    public async ValueTask InitializeAsync()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("watch");
        var cluster = "w" + Guid.NewGuid().ToString("N")[..6];
        _a = await SiloProcess.StartAsync(connectionString, cluster);
        _b = await SiloProcess.StartAsync(connectionString, cluster);
        (_httpA, _httpB) = (_a.CreateClient(), _b.CreateClient());
        _clientHost = await OrleansClientHost.ConnectAsync(connectionString, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (_clientHost is not null)
        {
            await _clientHost.DisposeAsync();
        }

        _httpA?.Dispose();
        _httpB?.Dispose();
        foreach (var silo in new[] { _a, _b })
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_watcher_on_silo_B_sees_the_changes_made_through_silo_A_and_the_grain_answers_the_same_events()
    {
        var a = new SchedulerClient(_httpA!);
        var group = "vm-xs" + Guid.NewGuid().ToString("N")[..6];
        var testbox = group + "--0";
        var id = (await a.SubmitAsync(new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "watcher", ["tbox_group"] = group, ["runtime"] = "300s" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.Equal(id, (await a.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 0, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());

        await using var onB = await SseClient.OpenAsync(_httpB!, $"/api/v1/jobs/{id}/watch");
        Assert.Equal(HttpStatusCode.OK, onB.Status);
        List<SseEvent> seen = [await onB.NextAsync(Patience), await onB.NextAsync(Patience)];

        // Made through A while B's watcher waits: it must reach B.
        await a.StageAsync(id, "running", testbox);
        seen.Add(await onB.NextAsync(Patience));
        var (status, body) = await a.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "failed", ["testbox"] = testbox });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        seen.Add(await onB.NextAsync(Patience));

        Assert.Equal(["1", "2", "3", "4"], seen.Select(e => e.Id));
        Assert.Equal(["submitted", "leased", "stage", "finished"], seen.Select(e => e.Data["event"]!.GetValue<string>()));
        Assert.Equal(("running", "finish", "failed"), (seen[2].Data["job_stage"]!.GetValue<string>(), seen[3].Data["job_stage"]!.GetValue<string>(), seen[3].Data["job_health"]!.GetValue<string>()));

        // The Orleans SDK's watch: the same events, from the start and from a position.
        var all = await Watch.Job(id, null, TimeSpan.Zero);
        Assert.False(all.NotFound);
        Assert.Equal(
            seen.Select(e => (e.Id, e.Event, e.Data["event"]!.GetValue<string>(), e.Data["job_stage"]!.GetValue<string>(), e.Data["job_health"]?.GetValue<string>(), e.Data["time"]!.GetValue<string>())),
            all.Events.Take(4).Select(e => (e.Id, e.Type, e.Event, e.Stage, e.Health, global::CompassCi.Api.Jobs.JobJson.Time(e.Time.ToUnixTimeMilliseconds()))));
        var rest = await Watch.Job(id, "2", TimeSpan.Zero);
        Assert.Equal(["3", "4"], rest.Events.Take(2).Select(e => e.Id));
        Assert.True((await Watch.Job("999999999999", null, TimeSpan.Zero)).NotFound);

        // And the many-job watch, from a position before the job existed, as the SSE sends it.
        // Long polls from each answer's Next until the end has settled and been sent.
        List<JobEvent> polled = [];
        string? position = "0-0-0";
        var until = DateTime.UtcNow + Patience;
        while (!polled.Any(e => e.Event == "finished") && DateTime.UtcNow < until)
        {
            var answer = await Watch.Jobs(new WatchFilter { TboxGroup = group }, position, TimeSpan.FromSeconds(10));
            polled.AddRange(answer.Events);
            position = answer.Next;
        }

        await using var sse = await SseClient.OpenAsync(_httpB!, $"/api/v1/watch?tbox_group={group}&after=0-0-0");
        List<SseEvent> streamed = [];
        foreach (var _ in polled)
        {
            streamed.Add(await sse.NextAsync(Patience));
        }

        Assert.Equal(["submitted", "leased", "stage", "finished"], polled.Select(e => e.Event).Take(4));
        Assert.Equal(polled.Select(e => (e.Id, e.Type, e.Event, e.Stage)), streamed.Select(e => (e.Id, e.Event, e.Data["event"]!.GetValue<string>(), e.Data["job_stage"]!.GetValue<string>())));
    }
}
