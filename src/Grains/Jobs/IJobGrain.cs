namespace CompassCi.Grains.Jobs;

/// <summary>
/// One job, keyed by its id. Its state is its <c>jobs</c> row (stored at submit by the submitter); every
/// change is one conditional write. Internal to the silo: clients use <see cref="IJobsGrain"/>.
/// </summary>
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>The job, or null when no such job exists.</summary>
    Task<JobRecord?> Get();

    /// <summary>
    /// Hands the job to a testbox. Persisted before it returns; refuses when the job is not pending,
    /// except that the same lease asking again gets the same answer. A positive <paramref name="attempt"/>
    /// fences the write on the consume request's latest attempt.
    /// </summary>
    Task<AssignOutcome> Assign(string testbox, string leaseId, int attempt, string? host);

    /// <summary>
    /// Undoes an assignment that never reached its testbox (the request was aborted before the answer
    /// was written). Only the testbox and lease that hold the job can release it, and only before it is confirmed. A positive
    /// <paramref name="attempt"/> fences the release on the consume request's latest attempt: a retry of the request
    /// that already answered the job makes an older attempt's release change nothing.
    /// </summary>
    Task<bool> Release(string testbox, string leaseId, int attempt);

    /// <summary>
    /// Moves the job to <paramref name="stage"/> if the transition table lets its holding testbox make that move
    /// (never one of the scheduler's own, such as submit → boot), recording the stage time and the new deadline;
    /// <c>submit</c> gives an unconfirmed job back to its queue at once. When <paramref name="testbox"/> is given it
    /// must be the holder.
    /// </summary>
    Task<JobUpdateOutcome> ChangeStage(string stage, string? testbox);

    /// <summary>
    /// Ends the job with <paramref name="health"/> and, for a crash, its classification. When
    /// <paramref name="testbox"/> is given it must be the holder.
    /// </summary>
    Task<JobUpdateOutcome> Finish(string health, CrashReport? crash, string? testbox);

    /// <summary>
    /// Cancels the job: a pending job ends at once (health <c>cancel</c>) and leaves its queue; a held job is
    /// marked, and its testbox is told to abort on its next call. An ended job is a conflict.
    /// </summary>
    Task<JobUpdateOutcome> Cancel();

    /// <summary>
    /// Acts on a passed deadline: an unconfirmed lease (stage boot) returns the job to its queue; any other
    /// active stage ends with health <c>timeout</c>. False when the deadline has not passed or was moved.
    /// </summary>
    Task<bool> Expire();

    /// <summary>
    /// Acts on a silent testbox: when the testbox holding this confirmed job has missed its heartbeats (checked
    /// again here), the job crashes with cause <c>testbox</c> and the reschedule policy applies. False otherwise.
    /// </summary>
    Task<bool> HeartbeatLost();

    /// <summary>
    /// Ends this node job because its cluster aborted: a pending one leaves its queue, a held one is marked for abort
    /// (its testbox learns it on its next call) and its testbox is freed. Health <c>abort</c>. False when already ended.
    /// </summary>
    Task<bool> CloseForCluster(string reason);

    /// <summary>
    /// Extends the deadline of an active job by <paramref name="seconds"/> (from the later of the current
    /// deadline and now), never past its renew ceiling. When <paramref name="testbox"/> is given it must be the holder.
    /// </summary>
    Task<JobUpdateOutcome> Renew(int seconds, string? testbox);

    /// <summary>
    /// Records what an lkp testbox reports on its job (see <see cref="Lifecycle.JobTransitions.Report"/>): a stage move,
    /// a noted health, variables; one write.
    /// </summary>
    Task<JobUpdateOutcome> Report(Compat.Lkp.LkpReport report);

    /// <summary>
    /// Returns once the job's version is past <paramref name="knownVersion"/>: at once when this activation already
    /// holds a newer one, when a change it writes lands, or after <paramref name="maxWait"/> regardless. It only says
    /// when to read again (a watcher reads the changes from the database, the truth); a change written elsewhere (the
    /// results pipeline, another activation) is found by the watcher's next read. Interleaved, so waiting holds up no
    /// command.
    /// </summary>
    [AlwaysInterleave]
    Task WaitForChange(int knownVersion, TimeSpan maxWait);
}
