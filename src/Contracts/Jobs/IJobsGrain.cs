namespace CompassCi.Contracts.Jobs;

/// <summary>
/// The scheduler's front door for Orleans clients (CI bots and in-cluster services): submit, read and cancel jobs
/// without HTTP. A stateless worker: call it with key 0 from any client, e.g.
/// <c>client.GetGrain&lt;IJobsGrain&gt;(0).Submit(new JobSubmission(json))</c>. The REST API's
/// <c>POST /api/v1/jobs</c> runs the same submit use case, so both answer alike.
/// </summary>
[Alias("CompassCi.IJobsGrain.v1")]
public interface IJobsGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Submits one lkp job (JSON or YAML). The job is durable before this returns. With a <c>submit_id</c> in the
    /// job, asking again (say, after a lost answer) returns the job created the first time instead of a second one.
    /// </summary>
    [Alias("Submit")]
    Task<SubmitResult> Submit(JobSubmission submission);

    /// <summary>The job with this id; null when there is none.</summary>
    [Alias("Get")]
    Task<JobView?> Get(string id);

    /// <summary>
    /// Cancels a job: a pending one ends at once (health <c>cancel</c>); one a testbox holds is marked and its testbox
    /// told to abort on its next call. An ended job cannot be cancelled.
    /// </summary>
    [Alias("Cancel")]
    Task<CancelResult> Cancel(string id);
}
