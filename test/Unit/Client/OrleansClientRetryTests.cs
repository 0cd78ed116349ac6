using CompassCi.Client;
using CompassCi.Client.Cluster;
using Orleans;
using Orleans.Runtime;

namespace CompassCi.Tests.Unit.Client;

/// <summary>
/// Which calls <see cref="CompassCiOrleansClient"/> repeats after a transient failure, against a front door that fails
/// its first calls as a dying silo would: the idempotent ones (a submit with a submit_id, a consume with a request_id,
/// reads), never the rest.
/// </summary>
public sealed class OrleansClientRetryTests
{
    private static readonly ClusterResilienceOptions Quick = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task A_submit_with_a_submit_id_is_repeated_until_it_gets_through()
    {
        var jobs = new FlakyJobs(failures: 2);
        await using var client = new CompassCiOrleansClient(new OneGrainFactory(jobs), Quick);

        var result = await client.SubmitAsync(new JobSubmission("""{"suite": "ebizzy", "submit_id": "ci-1"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(SubmitStatus.Created, result.Status);
        Assert.Equal(3, jobs.Calls);
    }

    [Fact]
    public async Task A_submit_without_a_submit_id_is_sent_once_and_its_failure_surfaces()
    {
        var jobs = new FlakyJobs(failures: 1);
        await using var client = new CompassCiOrleansClient(new OneGrainFactory(jobs), Quick);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.SubmitAsync(new JobSubmission("""{"suite": "ebizzy"}"""), TestContext.Current.CancellationToken));
        Assert.Equal(1, jobs.Calls);
    }

    [Fact]
    public async Task A_consume_is_repeated_only_with_a_request_id_and_renew_never()
    {
        var ct = TestContext.Current.CancellationToken;
        var once = new FlakyJobs(failures: 2);
        await using (var client = new CompassCiOrleansClient(new OneGrainFactory(once), Quick))
        {
            await Assert.ThrowsAsync<SiloUnavailableException>(() => client.ConsumeAsync(new ConsumeAsk { Testbox = "vm-1--0" }, ct));
            await Assert.ThrowsAsync<SiloUnavailableException>(() => client.RenewAsync("1", 60, cancellationToken: ct));
            Assert.Equal(2, once.Calls);
        }

        var retried = new FlakyJobs(failures: 1);
        await using (var client = new CompassCiOrleansClient(new OneGrainFactory(retried), Quick))
        {
            Assert.Equal(ConsumeStatus.None, (await client.ConsumeAsync(new ConsumeAsk { Testbox = "vm-1--0", RequestId = "r1" }, ct)).Status);
            Assert.Equal(2, retried.Calls);
        }
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_is_not_repeated_and_the_time_budget_ends_the_tries()
    {
        var ct = TestContext.Current.CancellationToken;
        var broken = new FlakyJobs(failures: 1, failure: () => new InvalidOperationException("a bug"));
        await using (var client = new CompassCiOrleansClient(new OneGrainFactory(broken), Quick))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetJobAsync("1", ct));
            Assert.Equal(1, broken.Calls);
        }

        var down = new FlakyJobs(failures: int.MaxValue);
        var budget = new ClusterResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(20), TotalBudget = TimeSpan.FromMilliseconds(300), MaxRetries = 1000 };
        await using (var client = new CompassCiOrleansClient(new OneGrainFactory(down), budget))
        {
            await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => client.GetJobAsync("1", ct));
            Assert.InRange(down.Calls, 2, 100);
        }
    }

    [Fact]
    public async Task Refusals_become_exceptions_with_the_rest_status_and_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        var jobs = new FlakyJobs(failures: 0);
        await using var client = new CompassCiOrleansClient(new OneGrainFactory(jobs), Quick);

        var notFound = await Assert.ThrowsAsync<CompassCiException>(() => client.ChangeStageAsync("404", JobStages.Running, cancellationToken: ct));
        var conflict = await Assert.ThrowsAsync<CompassCiException>(() => client.ChangeStageAsync("409", JobStages.Running, cancellationToken: ct));
        var invalid = await Assert.ThrowsAsync<CompassCiException>(() => client.RenewAsync("400", 0, cancellationToken: ct));
        var badList = await Assert.ThrowsAsync<CompassCiException>(() => client.ListJobsAsync(new JobListQuery { Limit = 0 }, ct));

        Assert.Equal((404, "id"), (notFound.Status, Assert.Single(notFound.Errors.Keys)));
        Assert.Equal((409, "job_stage"), (conflict.Status, Assert.Single(conflict.Errors.Keys)));
        Assert.Equal((400, "seconds"), (invalid.Status, Assert.Single(invalid.Errors.Keys)));
        Assert.Equal((400, "limit"), (badList.Status, Assert.Single(badList.Errors.Keys)));
    }

    /// <summary>An <see cref="IJobsGrain"/> whose first <paramref name="failures"/> calls fail; later ones answer canned results.</summary>
    private sealed class FlakyJobs(int failures, Func<Exception>? failure = null) : IJobsGrain
    {
        private int _calls;

        public int Calls => _calls;

        private Task<T> Answer<T>(T value) =>
            Interlocked.Increment(ref _calls) <= failures
                ? Task.FromException<T>((failure ?? (() => new SiloUnavailableException("the silo died")))())
                : Task.FromResult(value);

        public Task<SubmitResult> Submit(JobSubmission submission) => Answer(new SubmitResult(SubmitStatus.Created, [], new Dictionary<string, string[]>(), []));

        public Task<JobView?> Get(string id) => Answer<JobView?>(null);

        public Task<CancelResult> Cancel(string id) => Answer(new CancelResult(CancelStatus.NotFound, null, "no job"));

        public Task<JobPage> List(JobListQuery query) =>
            query.Limit < 1 ? Task.FromException<JobPage>(new InvalidQueryException("limit", "'0' is not a whole number from 1 to 1000")) : Answer(new JobPage([], null));

        public Task<JobChangeResult> Renew(string id, int seconds, string? testbox) =>
            Answer(new JobChangeResult(JobChangeStatus.Invalid, null, "seconds", "must be a whole number of seconds"));

        public Task<JobChangeResult> ChangeStage(string id, string stage, string? testbox) => Answer(id == "404"
            ? new JobChangeResult(JobChangeStatus.NotFound, null, "id", "no job has the id '404'")
            : new JobChangeResult(JobChangeStatus.Conflict, null, "job_stage", "the job is pending"));

        public Task<JobChangeResult> Finish(string id, string health, CrashReport? crash, string? testbox) =>
            Answer(new JobChangeResult(JobChangeStatus.NotFound, null, "id", "no job"));

        public Task<ConsumeResult> Consume(ConsumeAsk ask) => Answer(new ConsumeResult(ConsumeStatus.None, null, null, new Dictionary<string, string[]>()));
    }

    /// <summary>A grain factory that knows one grain: <see cref="IJobsGrain"/> 0.</summary>
    private sealed class OneGrainFactory(IJobsGrain jobs) : IGrainFactory
    {
        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithIntegerKey =>
            jobs is TGrainInterface grain ? grain : throw new NotSupportedException(typeof(TGrainInterface).Name);

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidKey => throw new NotSupportedException();

        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithStringKey => throw new NotSupportedException();

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidCompoundKey => throw new NotSupportedException();

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerCompoundKey => throw new NotSupportedException();

        public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();

        public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();

        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw new NotSupportedException();

        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw new NotSupportedException();

        public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw new NotSupportedException();

        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

        public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw new NotSupportedException();

        public IAddressable GetGrain(GrainId grainId) => throw new NotSupportedException();

        public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw new NotSupportedException();

        public IAddressable GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw new NotSupportedException();

        public IAddressable GetGrain(Type interfaceType, IdSpan grainKey) => throw new NotSupportedException();
    }
}
