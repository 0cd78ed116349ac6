namespace CompassCi.Client;

/// <summary>
/// The scheduler refused a call: its HTTP status (or the status the REST API would answer, for the Orleans transport),
/// its message, and the field errors of its problem details (field → messages).
/// </summary>
public sealed class CompassCiException : Exception
{
    /// <summary>A refusal with its status, message and field errors.</summary>
    public CompassCiException(int status, string message, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(message)
    {
        Status = status;
        Errors = errors ?? new Dictionary<string, string[]>();
    }

    /// <summary>A refusal with no details.</summary>
    public CompassCiException()
        : this(0, "the scheduler refused the call")
    {
    }

    /// <summary>A refusal with a message only.</summary>
    public CompassCiException(string message)
        : this(0, message)
    {
    }

    /// <summary>A failure caused by another one (the transport's).</summary>
    public CompassCiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>The HTTP status: 400 invalid, 401/403 refused, 404 not found, 409 conflict, 429 over quota, ….</summary>
    public int Status { get; }

    /// <summary>Messages by the field at fault; empty when the refusal is about no one field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>True for 404.</summary>
    public bool IsNotFound => Status == 404;
}
