namespace CompassCi.Grains.Lifecycle;

/// <summary>What cancelling a job does, which depends on whether a testbox holds it.</summary>
public enum CancelAction
{
    /// <summary>The job waits in its queue: take it out and finish it now with health <c>cancel</c>.</summary>
    FinishAsCancelled,

    /// <summary>A testbox holds the job: mark it, and tell the testbox to abort on its next call.</summary>
    MarkForAbort,

    /// <summary>The job has already ended (or its stage is unknown); nothing changes.</summary>
    Refuse,
}
