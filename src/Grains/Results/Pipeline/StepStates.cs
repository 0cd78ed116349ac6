namespace CompassCi.Grains.Results.Pipeline;

/// <summary>The states of one step of a job's results pipeline.</summary>
public static class StepStates
{
    /// <summary>Not done yet: runs on the pipeline's next run.</summary>
    public const string Pending = "pending";

    /// <summary>Done; what it wrote is committed with this state.</summary>
    public const string Done = "done";

    /// <summary>Failed on every attempt it was allowed; waits for a retry (<c>POST /api/v1/pipeline/{job_id}/retry</c>).</summary>
    public const string Failed = "failed";
}
