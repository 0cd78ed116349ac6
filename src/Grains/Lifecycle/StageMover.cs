namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Who may move a job from one stage to another (see <see cref="StageTransitions.Moves"/>). The endpoints a testbox
/// calls act as <see cref="Holder"/> only, so a client can never make the scheduler's own moves: hand a pending job out
/// (to nobody), or end one that no testbox ever held.
/// </summary>
[Flags]
public enum StageMover
{
    /// <summary>No one.</summary>
    None = 0,

    /// <summary>
    /// The scheduler itself: its dispatcher hands a pending job to a testbox that consumes (submit → boot), its sweeper
    /// returns an unconfirmed lease to the queue and closes jobs by deadline or lost heartbeat, a cluster aborts its nodes.
    /// </summary>
    Scheduler = 1,

    /// <summary>
    /// The testbox holding the job, through <c>POST /api/v1/jobs/{id}/stage</c>, <c>/finish</c> and <c>/renew</c> (or
    /// by hanging up on the consume's answer, which gives the job back).
    /// </summary>
    Holder = 2,

    /// <summary>The job's owner or an operator, through <c>POST /api/v1/jobs/{id}/cancel</c>.</summary>
    Operator = 4,
}
