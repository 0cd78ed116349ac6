using System.Globalization;
using System.Text;
using CompassCi.Grains.Dispatch;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Submit;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// <see cref="IJobsGrain"/> for Orleans clients: a stateless worker (one per silo core, no state of its own) over the
/// same use cases the REST API runs — the submit use case, <see cref="JobQueries"/>, the job grains behind the
/// request rules of <see cref="JobUpdateRequests"/>, and the one consume path (<see cref="TestboxConsumer"/>) — so both
/// front doors answer alike.
/// </summary>
[StatelessWorker]
public sealed class JobsGrain(JobSubmitter submitter, JobQueries queries, TestboxConsumer consumer) : Grain, IJobsGrain
{
    public async Task<SubmitResult> Submit(JobSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var outcome = await submitter.SubmitAsync(Encoding.UTF8.GetBytes(submission.Body ?? string.Empty), submission.ContentType);
        return new SubmitResult(outcome.Status, [.. outcome.Jobs.Select(j => JobViews.From(j.Job))], outcome.Errors, outcome.Warnings);
    }

    public async Task<JobView?> Get(string id) =>
        Job(id) is { } job && await job.Get() is { } record ? JobViews.From(record) : null;

    public async Task<CancelResult> Cancel(string id)
    {
        if (Job(id) is not { } job)
        {
            return new CancelResult(CancelStatus.NotFound, null, NoJob(id));
        }

        var outcome = await job.Cancel();
        return outcome switch
        {
            { NotFound: true } => new CancelResult(CancelStatus.NotFound, null, NoJob(id)),
            { Job: { Stage: JobStages.Finish } ended } => new CancelResult(CancelStatus.Cancelled, JobViews.From(ended), null),
            { Job: { } held } => new CancelResult(CancelStatus.AbortRequested, JobViews.From(held), null),
            _ => new CancelResult(CancelStatus.Conflict, null, outcome.Conflict),
        };
    }

    /// <summary>
    /// A page as <c>GET /api/v1/jobs</c> lists it (same filters, same cursor). A wrong query throws
    /// <see cref="InvalidQueryException"/> naming the field, as the REST API answers 400.
    /// </summary>
    public async Task<JobPage> List(JobListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var check = JobListRules.Check(query);
        if (check.Field is { } field)
        {
            throw new InvalidQueryException(field, check.Message);
        }

        var page = await queries.ListAsync(new JobQuery(query.Stage, query.MyAccount, query.Suite, query.TboxGroup, query.Testbox, check.BeforeId, query.Limit));
        var next = page.Count == query.Limit ? JobPageCursor.Encode(page[^1].Id) : null;
        return new JobPage([.. page.Select(JobViews.From)], next);
    }

    public Task<JobChangeResult> Renew(string id, int seconds, string? testbox) =>
        JobUpdateRequests.SecondsAllowed(seconds)
            ? UpdateAsync(id, job => job.Renew(seconds, testbox))
            : Task.FromResult(Invalid("seconds", JobUpdateRequests.SecondsMessage));

    public Task<JobChangeResult> ChangeStage(string id, string stage, string? testbox)
    {
        if (string.IsNullOrEmpty(stage))
        {
            return Task.FromResult(Invalid("stage", "is required"));
        }

        return JobUpdateRequests.StageError(stage) is { } error
            ? Task.FromResult(Invalid("stage", error))
            : UpdateAsync(id, job => job.ChangeStage(stage, testbox));
    }

    public Task<JobChangeResult> Finish(string id, string health, CrashReport? crash, string? testbox)
    {
        if (string.IsNullOrEmpty(health))
        {
            return Task.FromResult(Invalid("health", "is required"));
        }

        if (JobUpdateRequests.HealthError(health) is { } error)
        {
            return Task.FromResult(Invalid("health", error));
        }

        var normalised = JobUpdateRequests.NormaliseHealth(health);
        var report = JobUpdateRequests.CrashFor(normalised, crash);
        return UpdateAsync(id, job => job.Finish(normalised, report, testbox));
    }

    /// <summary>
    /// The REST consume's path with an Orleans answer. A lost answer cannot be noticed here as HTTP notices a hung-up
    /// client, so a job handed over is only given back by its lease running out — unless the caller set a
    /// <see cref="ConsumeAsk.RequestId"/> and asks again, which answers the same job.
    /// </summary>
    public async Task<ConsumeResult> Consume(ConsumeAsk ask)
    {
        var (offer, errors) = ConsumeAskReader.Read(ask);
        if (offer is null)
        {
            return new ConsumeResult(ConsumeStatus.Invalid, null, null, errors, "the ask is not valid");
        }

        var answer = await consumer.TakeAsync(offer.Testbox, offer.Offered, offer.MemoryMb, offer.RequestId, offer.Host, offer.Wait, CancellationToken.None);
        var none = new Dictionary<string, string[]>();
        return answer switch
        {
            { Job: { } handOver } => new ConsumeResult(ConsumeStatus.Job, JobViews.From(handOver.Job), handOver.JobSecret, none),
            { Quarantine: { } gate } => new ConsumeResult(ConsumeStatus.Quarantined, null, null, none, $"host {answer.Host}: {gate.Reason}"),
            _ => new ConsumeResult(ConsumeStatus.None, null, null, none),
        };
    }

    /// <summary>Resolves the job and maps the grain's outcome as the REST endpoints do: 404, 409 with its field, or the job.</summary>
    private async Task<JobChangeResult> UpdateAsync(string id, Func<IJobGrain, Task<JobUpdateOutcome>> update)
    {
        if (Job(id) is not { } job)
        {
            return new JobChangeResult(JobChangeStatus.NotFound, null, "id", NoJob(id));
        }

        var outcome = await update(job);
        return outcome switch
        {
            { NotFound: true } => new JobChangeResult(JobChangeStatus.NotFound, null, "id", NoJob(id)),
            { Job: { } changed } => new JobChangeResult(JobChangeStatus.Changed, JobViews.From(changed)),
            _ => new JobChangeResult(JobChangeStatus.Conflict, null, outcome.ConflictField ?? "job_stage", outcome.Conflict ?? "the change is not allowed now"),
        };
    }

    private static JobChangeResult Invalid(string field, string message) => new(JobChangeStatus.Invalid, null, field, message);

    private static string NoJob(string id) => $"no job has the id '{id}'";

    private IJobGrain? Job(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId) && jobId > 0
            ? GrainFactory.GetGrain<IJobGrain>(jobId.ToString(CultureInfo.InvariantCulture))
            : null;
}
