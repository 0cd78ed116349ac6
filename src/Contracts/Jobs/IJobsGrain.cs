namespace CompassCi.Contracts.Jobs;

/// <summary>
/// The scheduler's front door for Orleans clients (CI bots and in-cluster services): submit, read, list, cancel and
/// drive jobs without HTTP. A stateless worker: call it with key 0 from any client, e.g.
/// <c>client.GetGrain&lt;IJobsGrain&gt;(0).Submit(new JobSubmission(json))</c>. The REST API runs the same use cases,
/// so both answer alike. Orleans clients are trusted: they reach the cluster with its database credentials, so no
/// token is asked for.
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

    /// <summary>A page of jobs, newest first, as <c>GET /api/v1/jobs</c> lists them.</summary>
    [Alias("List")]
    Task<JobPage> List(JobListQuery query);

    /// <summary>Extends a held job's deadline by <paramref name="seconds"/>, for its testbox (null: whoever holds it).</summary>
    [Alias("Renew")]
    Task<JobChangeResult> Renew(string id, int seconds, string? testbox);

    /// <summary>Moves a held job to its next stage (<c>running</c>, <c>post_run</c>, …), for its testbox.</summary>
    [Alias("ChangeStage")]
    Task<JobChangeResult> ChangeStage(string id, string stage, string? testbox);

    /// <summary>Ends a held job with a health (<see cref="JobHealth"/>), and for a crash its classification.</summary>
    [Alias("Finish")]
    Task<JobChangeResult> Finish(string id, string health, CrashReport? crash, string? testbox);

    /// <summary>Takes the best pending job the testbox's offer matches, waiting up to its wait for one (a bot acting as a testbox).</summary>
    [Alias("Consume")]
    Task<ConsumeResult> Consume(ConsumeAsk ask);
}
