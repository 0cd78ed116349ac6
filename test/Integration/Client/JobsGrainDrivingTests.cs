using CompassCi.Client;
using CompassCi.Client.Cluster;
using CompassCi.Contracts.Jobs;
using CompassCi.Tests.Integration.Infrastructure;
using Orleans;

namespace CompassCi.Tests.Integration.Client;

/// <summary>
/// IJobsGrain's driving methods (list, consume, stage, finish, renew) against a live silo: they answer as the REST
/// API does — 404 for an unknown job, 409 for a move not allowed now, 400 naming the field — and the SDK maps those
/// answers onto <see cref="CompassCiException"/>s.
/// </summary>
public sealed class JobsGrainDrivingTests(MariaDbFixture database) : IAsyncLifetime
{
    private SiloProcess? _silo;
    private OrleansClientHost? _clientHost;

    private IJobsGrain Jobs => _clientHost!.Client.GetGrain<IJobsGrain>(0);

    private CompassCiOrleansClient Sdk => new(_clientHost!.Client);

    public async ValueTask InitializeAsync()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("drive");
        var cluster = "dr" + Guid.NewGuid().ToString("N")[..6];
        _silo = await SiloProcess.StartAsync(connectionString, cluster);
        _clientHost = await OrleansClientHost.ConnectAsync(connectionString, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (_clientHost is not null)
        {
            await _clientHost.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bot_takes_a_job_as_a_testbox_and_drives_it_to_its_end_with_the_answers_the_rest_api_gives()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = Assert.Single((await Jobs.Submit(new JobSubmission("""{"suite": "ebizzy", "my_account": "bot", "tbox_group": "vm-drive"}"""))).Jobs);

        // Not held yet: running it is the holder's move, and nobody holds it.
        var early = await Jobs.ChangeStage(job.Id, JobStages.Running, null);
        Assert.Equal(JobChangeStatus.Conflict, early.Status);
        Assert.Null(early.Job);

        var taken = await Jobs.Consume(new ConsumeAsk { Testbox = "vm-drive--0", RequestId = "ask-1", WaitSeconds = 5 });
        Assert.Equal(ConsumeStatus.Job, taken.Status);
        Assert.Equal((job.Id, JobStages.Boot, "vm-drive--0"), (taken.Job!.Id, taken.Job.Stage, taken.Job.Testbox));
        Assert.False(string.IsNullOrEmpty(taken.JobSecret));

        // The same ask again (a lost answer) gets the same job, not another.
        var again = await Jobs.Consume(new ConsumeAsk { Testbox = "vm-drive--0", RequestId = "ask-1", WaitSeconds = 0 });
        Assert.Equal((ConsumeStatus.Job, job.Id), (again.Status, again.Job!.Id));

        var running = await Jobs.ChangeStage(job.Id, JobStages.Running, "vm-drive--0");
        Assert.Equal((JobChangeStatus.Changed, JobStages.Running), (running.Status, running.Job!.Stage));

        var renewed = await Jobs.Renew(job.Id, 600, "vm-drive--0");
        Assert.Equal(JobChangeStatus.Changed, renewed.Status);
        Assert.True(renewed.Job!.Deadline > running.Job.Deadline, $"{renewed.Job.Deadline} after {running.Job.Deadline}");

        var otherBox = await Jobs.ChangeStage(job.Id, JobStages.PostRun, "vm-drive--9");
        Assert.Equal(JobChangeStatus.Conflict, otherBox.Status);

        // lkp-tests' word "finished" is a success, as the REST API reads it.
        var finished = await Jobs.Finish(job.Id, "finished", null, "vm-drive--0");
        Assert.Equal((JobChangeStatus.Changed, JobStages.Finish, JobHealth.Success), (finished.Status, finished.Job!.Stage, finished.Job.Health));

        var afterEnd = await Sdk.ChangeStageAsync(job.Id, JobStages.PostRun, "vm-drive--0", ct).ContinueWith(t => t.Exception?.InnerException, ct);
        Assert.Equal(409, Assert.IsType<CompassCiException>(afterEnd).Status);
    }

    [Fact]
    public async Task Unknown_jobs_are_404_and_wrong_values_are_400_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal((JobChangeStatus.NotFound, "id"), Pair(await Jobs.ChangeStage("999999999", JobStages.Running, null)));
        Assert.Equal((JobChangeStatus.NotFound, "id"), Pair(await Jobs.Finish("not-a-number", JobHealth.Success, null, null)));
        Assert.Equal((JobChangeStatus.NotFound, "id"), Pair(await Jobs.Renew("999999999", 60, null)));
        Assert.Equal((JobChangeStatus.Invalid, "stage"), Pair(await Jobs.ChangeStage("1", "sleeping", null)));
        Assert.Equal((JobChangeStatus.Invalid, "stage"), Pair(await Jobs.ChangeStage("1", JobStages.Boot, null)));
        Assert.Equal((JobChangeStatus.Invalid, "stage"), Pair(await Jobs.ChangeStage("1", JobStages.Finish, null)));
        Assert.Equal((JobChangeStatus.Invalid, "health"), Pair(await Jobs.Finish("1", "great", null, null)));
        Assert.Equal((JobChangeStatus.Invalid, "seconds"), Pair(await Jobs.Renew("1", 0, null)));

        var bad = await Jobs.Consume(new ConsumeAsk { Testbox = "bad name!", WaitSeconds = 0 });
        Assert.Equal(ConsumeStatus.Invalid, bad.Status);
        Assert.Contains("testbox", bad.Errors.Keys);
        var badValues = await Jobs.Consume(new ConsumeAsk { Testbox = "vm-x--0", MemoryGb = -1, WaitSeconds = -1, RequestId = "" });
        Assert.Equal(["memory_gb", "request_id", "wait_seconds"], badValues.Errors.Keys.Order(StringComparer.Ordinal));
        var otherName = await Jobs.Consume(new ConsumeAsk { Testbox = "vm-x--0", Tags = new Dictionary<string, string> { ["testbox"] = "vm-y--0" } });
        Assert.Equal("tags.testbox", Assert.Single(otherName.Errors.Keys));

        var notFound = await Assert.ThrowsAsync<CompassCiException>(() => Sdk.FinishAsync("999999999", JobHealth.Success, cancellationToken: ct));
        Assert.Equal((404, "id"), (notFound.Status, Assert.Single(notFound.Errors.Keys)));
        var invalid = await Assert.ThrowsAsync<CompassCiException>(() => Sdk.RenewAsync("1", 0, cancellationToken: ct));
        Assert.Equal((400, "seconds"), (invalid.Status, Assert.Single(invalid.Errors.Keys)));
        var badLimit = await Assert.ThrowsAsync<CompassCiException>(() => Sdk.ListJobsAsync(new JobListQuery { Limit = 0 }, ct));
        Assert.Equal((400, "limit"), (badLimit.Status, Assert.Single(badLimit.Errors.Keys)));
        var badCursor = await Assert.ThrowsAsync<CompassCiException>(() => Sdk.ListJobsAsync(new JobListQuery { After = "nonsense" }, ct));
        Assert.Equal((400, "after"), (badCursor.Status, Assert.Single(badCursor.Errors.Keys)));
    }

    [Fact]
    public async Task A_list_pages_newest_first_with_the_rest_cursor_and_its_filters()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(Assert.Single((await Jobs.Submit(new JobSubmission($$"""{"suite": "ebizzy", "my_account": "lister", "tbox_group": "vm-list", "submit_id": "l{{i}}"}"""))).Jobs).Id);
        }

        await Jobs.Submit(new JobSubmission("""{"suite": "other", "my_account": "someone", "tbox_group": "vm-list"}"""));

        var first = await Sdk.ListJobsAsync(new JobListQuery { MyAccount = "lister", Limit = 3 }, ct);
        var second = await Sdk.ListJobsAsync(new JobListQuery { MyAccount = "lister", Limit = 3, After = first.Next }, ct);

        Assert.NotNull(first.Next);
        Assert.Null(second.Next);
        Assert.Equal(Enumerable.Reverse(ids), first.Jobs.Concat(second.Jobs).Select(j => j.Id));

        // The cursor is the REST API's: the same string pages the same list over HTTP.
        using var http = _silo!.CreateClient();
        var rest = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs?my_account=lister&limit=3&after={first.Next}", ct))!;
        Assert.Equal(second.Jobs.Select(j => j.Id), rest["jobs"]!.AsArray().Select(j => j!["id"]!.ToString()));
    }

    private static (JobChangeStatus, string?) Pair(JobChangeResult result) => (result.Status, result.Field);
}
