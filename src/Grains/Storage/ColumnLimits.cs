namespace CompassCi.Grains.Storage;

/// <summary>
/// The width, in characters, of every column a client's text is stored in: the one place validation learns what
/// the schema takes. A value past its column would otherwise reach MariaDB and fail there, as a server error, for a
/// request that could never succeed. <c>ColumnLimitsTests</c> checks each against the migrated schema.
/// </summary>
public static class ColumnLimits
{
    /// <summary><c>jobs.my_account</c>, <c>submit_keys.my_account</c>.</summary>
    public const int Account = 128;

    /// <summary><c>jobs.suite</c>.</summary>
    public const int Suite = 128;

    /// <summary><c>jobs.tbox_group</c>.</summary>
    public const int TboxGroup = 255;

    /// <summary><c>jobs.testbox</c>, <c>testboxes.testbox</c>, <c>consume_requests.testbox</c>.</summary>
    public const int Testbox = 255;

    /// <summary><c>jobs.arch</c>.</summary>
    public const int Arch = 64;

    /// <summary><c>jobs.queue_key</c>, <c>job_effects.target</c>: a job's tags as <c>k=v,k=v</c>.</summary>
    public const int QueueKey = 768;

    /// <summary><c>consume_requests.request_id</c>.</summary>
    public const int RequestId = 128;

    /// <summary><c>submit_keys.submit_id</c>.</summary>
    public const int SubmitId = 128;

    /// <summary><c>hosts.host</c>, <c>jobs.host</c>, <c>testboxes.host</c>.</summary>
    public const int Host = 255;

    /// <summary><c>accounts.my_email</c>, <c>accounts.my_name</c>.</summary>
    public const int AccountContact = 255;

    /// <summary><c>cluster_specs.name</c>.</summary>
    public const int ClusterSpecName = 255;

    /// <summary>
    /// <c>hosts.quarantine_reason</c>, <c>hosts.release_reason</c>: <c>TEXT</c>, which counts bytes (65,535), not
    /// characters; a quarter of it in characters is safe for any UTF-8.
    /// </summary>
    public const int Reason = 65_535 / 4;
}
