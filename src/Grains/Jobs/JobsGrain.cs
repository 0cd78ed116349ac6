using System.Globalization;
using System.Text;
using CompassCi.Grains.Submit;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// <see cref="IJobsGrain"/> for Orleans clients: a stateless worker (one per silo core, no state of its own) over the
/// same submit use case and job grains the REST API uses.
/// </summary>
[StatelessWorker]
public sealed class JobsGrain(JobSubmitter submitter) : Grain, IJobsGrain
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
            return new CancelResult(CancelStatus.NotFound, null, $"no job has the id '{id}'");
        }

        var outcome = await job.Cancel();
        return outcome switch
        {
            { NotFound: true } => new CancelResult(CancelStatus.NotFound, null, $"no job has the id '{id}'"),
            { Job: { Stage: JobStages.Finish } ended } => new CancelResult(CancelStatus.Cancelled, JobViews.From(ended), null),
            { Job: { } held } => new CancelResult(CancelStatus.AbortRequested, JobViews.From(held), null),
            _ => new CancelResult(CancelStatus.Conflict, null, outcome.Conflict),
        };
    }

    private IJobGrain? Job(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId) && jobId > 0
            ? GrainFactory.GetGrain<IJobGrain>(jobId.ToString(CultureInfo.InvariantCulture))
            : null;
}
