namespace CompassCi.Grains.Jobs;

/// <summary>
/// This silo holds no job id node number right now (it is taking one, or lost its lease and is taking another), so it
/// cannot give new jobs ids. Transient: answered 503 with Retry-After.
/// </summary>
public sealed class JobIdsUnavailableException : Exception
{
    public JobIdsUnavailableException()
        : base("this silo holds no job id node number right now; try again")
    {
    }

    public JobIdsUnavailableException(string message)
        : base(message)
    {
    }

    public JobIdsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
