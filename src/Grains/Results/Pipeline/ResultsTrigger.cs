namespace CompassCi.Grains.Results.Pipeline;

/// <summary>
/// The Orleans stream that triggers a job's results pipeline: an ended job's id, published by the <c>extract</c>
/// effect's handler, received by that job's <see cref="ResultsGrain"/> through an implicit subscription. It is the fast
/// path only: the effect in the outbox stays due until the pipeline ends, and the sweeper publishes it again.
/// </summary>
public static class ResultsTrigger
{
    /// <summary>The stream provider's name.</summary>
    public const string Provider = "results";

    /// <summary>The namespace; the stream's key is the job id, which is the results grain's key.</summary>
    public const string Namespace = "job-results";
}
