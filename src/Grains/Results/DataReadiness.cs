namespace CompassCi.Grains.Results;

/// <summary>The values of a job's <c>job_data_readiness</c>: null until its first upload, then these.</summary>
public static class DataReadiness
{
    /// <summary>An upload was accepted: data is arriving.</summary>
    public const string Uploading = "uploading";

    /// <summary>The job ended and its results were extracted.</summary>
    public const string Complete = "complete";

    /// <summary>The job ended with nothing uploaded.</summary>
    public const string Incomplete = "incomplete";
}
