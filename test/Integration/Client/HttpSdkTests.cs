using System.Collections.Concurrent;
using System.Net;
using CompassCi.Client;
using CompassCi.Client.Http;
using CompassCi.Contracts.Jobs;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompassCi.Tests.Integration.Client;

/// <summary>An open silo whose queued-job quota is small (soft 1, hard 2) and whose 429 says Retry-After: 1.</summary>
public sealed class QuickQuotaSilo(MariaDbFixture database) : SiloFixture(database)
{
    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Quotas__QueuedSoftLimit"] = "1",
        ["CompassCi__Quotas__QueuedHardLimit"] = "2",
        ["CompassCi__Quotas__RetryAfterSeconds"] = "1",
    };
}

/// <summary>The HTTP SDK against a real silo: typed answers, field errors, 404 as null, and a 429's Retry-After honoured.</summary>
public sealed class HttpSdkTests(QuickQuotaSilo silo) : IClassFixture<QuickQuotaSilo>
{
    [Fact]
    public async Task A_429_is_retried_after_its_retry_after_and_the_submit_lands_once_a_slot_is_freed()
    {
        var account = "q" + Guid.NewGuid().ToString("N")[..8];
        var attempts = new AttemptRecorder();
        var services = new ServiceCollection();
        services.AddCompassCiHttpClient(o =>
        {
            o.BaseAddress = silo.Silo.BaseAddress;
            o.TotalBudget = TimeSpan.FromSeconds(60);
        }).AddHttpMessageHandler(() => attempts);
        await using var provider = services.BuildServiceProvider();
        await using var client = provider.GetRequiredService<ICompassCiClient>();

        var queued = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var submitted = await client.SubmitAsync(Job(account, $"fill-{i}"), TestContext.Current.CancellationToken);
            Assert.Equal(SubmitStatus.Created, submitted.Status);
            queued.Add(submitted.Jobs[0].Id);
        }

        // The third waits at the quota; a slot is freed only once the server has refused it at least once.
        var third = client.SubmitAsync(Job(account, "third"), TestContext.Current.CancellationToken);
        await attempts.First429.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var cancelled = await client.CancelAsync(queued[0], TestContext.Current.CancellationToken);
        Assert.Equal(CancelStatus.Cancelled, cancelled.Status);

        var landed = await third;
        Assert.Equal(SubmitStatus.Created, landed.Status);
        var thirdAttempts = attempts.Log.Where(a => a.Path == "/api/v1/jobs").Skip(2).ToList();
        Assert.True(thirdAttempts.Count >= 2, string.Join(", ", thirdAttempts));
        Assert.Equal(HttpStatusCode.TooManyRequests, thirdAttempts[0].Status);
        Assert.Equal(TimeSpan.FromSeconds(1), thirdAttempts[0].RetryAfter);
        Assert.Equal(HttpStatusCode.Created, thirdAttempts[^1].Status);
        for (var i = 1; i < thirdAttempts.Count; i++)
        {
            var waited = thirdAttempts[i].Sent - thirdAttempts[i - 1].Answered;
            Assert.True(waited >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(20), $"attempt {i + 1} came {waited.TotalMilliseconds} ms after a 429 that said Retry-After: 1");
        }

        Assert.Equal(2, await Sql.ScalarAsync<long>(silo.ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE my_account = '{account}' AND job_stage = 'submit'"));
    }

    [Fact]
    public async Task A_bad_submit_names_its_fields_an_unknown_job_is_null_and_jobs_read_list_and_cancel_typed()
    {
        var account = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var client = new CompassCiHttpClient(new CompassCiHttpOptions { BaseAddress = silo.Silo.BaseAddress });

        var invalid = await client.SubmitAsync(new JobSubmission("""{"my_account":"x","tbox_group":"vm-2p8g","priority":"high"}"""), TestContext.Current.CancellationToken);
        Assert.Equal(SubmitStatus.Invalid, invalid.Status);
        Assert.Contains("suite", invalid.Errors.Keys);
        Assert.Empty(invalid.Jobs);

        Assert.Null(await client.GetJobAsync("987654321", TestContext.Current.CancellationToken));

        var created = await client.SubmitAsync(Job(account, "one"), TestContext.Current.CancellationToken);
        var again = await client.SubmitAsync(Job(account, "one"), TestContext.Current.CancellationToken);
        Assert.Equal((SubmitStatus.Created, SubmitStatus.AlreadySubmitted), (created.Status, again.Status));
        Assert.Equal(created.Jobs[0].Id, again.Jobs[0].Id);

        var read = await client.GetJobAsync(created.Jobs[0].Id, TestContext.Current.CancellationToken);
        Assert.Equal((JobStages.Submit, account, "ebizzy", "vm-sdk", "one"), (read?.Stage, read?.Account, read?.Suite, read?.TboxGroup, read?.SubmitId));

        // Cancelled, it leaves room under the hard quota of 2 for the job file's two jobs.
        var cancelled = await client.CancelAsync(created.Jobs[0].Id, TestContext.Current.CancellationToken);
        Assert.Equal((CancelStatus.Cancelled, JobHealth.Cancel), (cancelled.Status, cancelled.Job?.Health));
        var file = await client.SubmitJobFileAsync(
            "suite: ebizzy\ntbox_group: vm-sdk\nnr_threads:\n  - 1\n  - 2\n",
            [new("my_account", account)],
            submitId: "file-1",
            TestContext.Current.CancellationToken);
        Assert.Equal(SubmitStatus.Created, file.Status);
        Assert.Equal(["file-1.1", "file-1.2"], file.Jobs.Select(j => j.SubmitId));

        var page = await client.ListJobsAsync(new JobListQuery { MyAccount = account, Limit = 10 }, TestContext.Current.CancellationToken);
        Assert.Equal(file.Jobs.Select(j => j.Id).Reverse().Append(created.Jobs[0].Id), page.Jobs.Select(j => j.Id));

        var unknown = await client.CancelAsync("987654321", TestContext.Current.CancellationToken);
        Assert.Equal(CancelStatus.NotFound, unknown.Status);

        var refused = await Assert.ThrowsAsync<CompassCiException>(() => client.RenewAsync(file.Jobs[0].Id, 0, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(400, refused.Status);
        Assert.Contains("seconds", refused.Errors.Keys);
    }

    private static JobSubmission Job(string account, string submitId) =>
        new($$"""{"suite":"ebizzy","my_account":"{{account}}","tbox_group":"vm-sdk","submit_id":"{{submitId}}"}""");

    /// <summary>Sits inside the resilience handler, so it sees every attempt: when it was sent, answered, and what came back.</summary>
    private sealed class AttemptRecorder : DelegatingHandler
    {
        public ConcurrentQueue<(string Path, DateTimeOffset Sent, DateTimeOffset Answered, HttpStatusCode Status, TimeSpan? RetryAfter)> Log { get; } = new();

        public TaskCompletionSource First429 { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = DateTimeOffset.UtcNow;
            var response = await base.SendAsync(request, cancellationToken);
            Log.Enqueue((request.RequestUri!.AbsolutePath, sent, DateTimeOffset.UtcNow, response.StatusCode, response.Headers.RetryAfter?.Delta));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                First429.TrySetResult();
            }

            return response;
        }
    }
}
