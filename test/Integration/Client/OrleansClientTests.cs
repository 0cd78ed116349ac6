using CompassCi.Contracts.Jobs;
using CompassCi.Tests.Integration.Infrastructure;
using Orleans;

namespace CompassCi.Tests.Integration.Client;

/// <summary>
/// A CI bot's view: an Orleans client (<see cref="IClusterClient"/>) against a running silo, using nothing but the
/// public contracts in src/Contracts. It submits, reads and cancels without HTTP.
/// </summary>
public sealed class OrleansClientTests(MariaDbFixture database) : IAsyncLifetime
{
    private SiloProcess? _silo;
    private OrleansClientHost? _clientHost;

    private IJobsGrain Jobs => _clientHost!.Client.GetGrain<IJobsGrain>(0);

    public async ValueTask InitializeAsync()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("client");
        var cluster = "oc" + Guid.NewGuid().ToString("N")[..6];
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
    public async Task A_bot_submits_reads_and_cancels_a_job_through_the_client()
    {
        var submitted = await Jobs.Submit(new JobSubmission("""{"suite": "ebizzy", "my_account": "bot", "tbox_group": "vm-oc", "priority": 7, "ebizzy": {"nr_threads": 4}}"""));

        Assert.Equal(SubmitStatus.Created, submitted.Status);
        var job = Assert.Single(submitted.Jobs);
        Assert.Equal((JobStages.Submit, "bot", "ebizzy", 7), (job.Stage, job.Account, job.Suite, job.Priority));
        Assert.Equal("tbox_group=vm-oc,tbox_type=vm", job.QueueKey);
        Assert.Contains("\"nr_threads\":4", job.Document, StringComparison.Ordinal);

        var read = await Jobs.Get(job.Id);
        Assert.Equal(job.Id, read!.Id);
        Assert.Equal(job.SubmitTime, read.SubmitTime);

        var cancelled = await Jobs.Cancel(job.Id);
        Assert.Equal(CancelStatus.Cancelled, cancelled.Status);
        Assert.Equal((JobStages.Finish, JobHealth.Cancel), (cancelled.Job!.Stage, cancelled.Job.Health));
        Assert.Equal(JobHealth.Cancel, (await Jobs.Get(job.Id))!.Health);

        var again = await Jobs.Cancel(job.Id);
        Assert.Equal(CancelStatus.Conflict, again.Status);
        Assert.Contains("already ended", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bot_gets_field_errors_unknown_ids_and_idempotent_repeats_as_the_rest_api_gives_them()
    {
        var invalid = await Jobs.Submit(new JobSubmission("""{"suite": "ebizzy", "my_account": "bot", "priority": 12}"""));
        Assert.Equal(SubmitStatus.Invalid, invalid.Status);
        Assert.Contains("priority", invalid.Errors.Keys);
        Assert.Empty(invalid.Jobs);

        var yaml = await Jobs.Submit(new JobSubmission("suite: ebizzy\nmy_account: bot\ntbox_group: vm-oc\nsubmit_id: ci-7\n", "application/yaml"));
        var repeat = await Jobs.Submit(new JobSubmission("suite: ebizzy\nmy_account: bot\ntbox_group: vm-oc\nsubmit_id: ci-7\n", "application/yaml"));
        Assert.Equal((SubmitStatus.Created, SubmitStatus.AlreadySubmitted), (yaml.Status, repeat.Status));
        Assert.Equal(yaml.Jobs[0].Id, repeat.Jobs[0].Id);
        Assert.Equal("ci-7", repeat.Jobs[0].SubmitId);

        Assert.Null(await Jobs.Get("999999999"));
        Assert.Null(await Jobs.Get("not-a-number"));
        Assert.Equal(CancelStatus.NotFound, (await Jobs.Cancel("999999999")).Status);
    }
}
