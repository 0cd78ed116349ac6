namespace CompassCi.Contracts.Jobs;

/// <summary>How a stage change, finish or renew ended.</summary>
[GenerateSerializer, Alias("CompassCi.JobChangeStatus.v1")]
public enum JobChangeStatus
{
    /// <summary>Done; <see cref="JobChangeResult.Job"/> is the job after it (HTTP 200).</summary>
    Changed = 0,

    /// <summary>No job has the id (HTTP 404).</summary>
    NotFound = 1,

    /// <summary>Not allowed in the job's state now (HTTP 409); the message names the stage or the field.</summary>
    Conflict = 2,

    /// <summary>The request itself is wrong (HTTP 400); the field and message say how.</summary>
    Invalid = 3,
}
