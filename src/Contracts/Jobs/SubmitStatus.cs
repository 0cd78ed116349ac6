namespace CompassCi.Contracts.Jobs;

/// <summary>How a submit ended.</summary>
[GenerateSerializer, Alias("CompassCi.SubmitStatus.v1")]
public enum SubmitStatus
{
    /// <summary>New jobs were stored (HTTP 201).</summary>
    Created = 0,

    /// <summary>The account already submitted this <c>submit_id</c>: the jobs are the ones created then (HTTP 200).</summary>
    AlreadySubmitted = 1,

    /// <summary>The job is not valid; <see cref="SubmitResult.Errors"/> names each field at fault (HTTP 400, or 415 for the content type).</summary>
    Invalid = 2,

    /// <summary>The account used this <c>submit_id</c> for a different job (HTTP 409).</summary>
    SubmitIdConflict = 3,

    /// <summary>
    /// The account has reached its hard limit on queued jobs; nothing was stored (HTTP 429). <see cref="SubmitResult.Errors"/>
    /// names <c>my_account</c> with the limit and the count.
    /// </summary>
    QuotaExceeded = 4,
}
