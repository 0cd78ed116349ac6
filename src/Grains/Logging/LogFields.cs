namespace CompassCi.Grains.Logging;

/// <summary>
/// The names of the structured fields that tie a log line to what it is about, the same in every log store (JSON
/// console, OTLP): "where is job X" is one query on <see cref="JobId"/>. Snake case, as the job's own fields are named.
/// </summary>
public static class LogFields
{
    /// <summary>The job's id, as the API writes it (a decimal string).</summary>
    public const string JobId = "job_id";

    /// <summary>The testbox asking for work or running the job.</summary>
    public const string Testbox = "testbox";

    /// <summary>The machine under the testbox (the host whose lifecycle and quarantine it counts in).</summary>
    public const string Host = "host";

    /// <summary>A multi-node job's cluster (its barrier grain's key).</summary>
    public const string ClusterId = "cluster_id";

    /// <summary>The account that submits or owns the job (my_account).</summary>
    public const string Account = "account";

    /// <summary>A queue key (the pending jobs of one tbox_group, arch and account class).</summary>
    public const string Queue = "queue";
}
