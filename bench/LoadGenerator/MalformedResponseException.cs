namespace CompassCi.LoadGenerator;

/// <summary>
/// The server's bytes are not an HTTP/1.1 response this client can frame. An IOException, so the loops count it as the
/// same transport failure as a reset connection (its message names what was wrong), and the connection is dropped.
/// </summary>
public sealed class MalformedResponseException : IOException
{
    public MalformedResponseException()
    {
    }

    public MalformedResponseException(string message)
        : base(message)
    {
    }

    public MalformedResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
