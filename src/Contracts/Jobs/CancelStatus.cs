namespace CompassCi.Contracts.Jobs;

/// <summary>How a cancel ended.</summary>
[GenerateSerializer, Alias("CompassCi.CancelStatus.v1")]
public enum CancelStatus
{
    /// <summary>The job was pending and has ended with health <c>cancel</c>.</summary>
    Cancelled = 0,

    /// <summary>A testbox holds the job: it is marked, and the testbox is told to abort on its next call.</summary>
    AbortRequested = 1,

    /// <summary>No job has this id.</summary>
    NotFound = 2,

    /// <summary>The job cannot be cancelled now (it has ended); <see cref="CancelResult.Message"/> says why.</summary>
    Conflict = 3,
}
