namespace CompassCi.Grains.Storage;

/// <summary>
/// How long a write or a claim may wait in its batch's queue before it fails unrun (<see cref="GroupCommitter"/>,
/// <see cref="JobClaimStore"/>): one that waited longer is behind a database that is not keeping up (stopped, hung),
/// and its caller gets a 503 within its deadline instead of waiting behind the batches before it.
/// </summary>
internal readonly record struct QueueWaitLimit(TimeSpan Max)
{
    /// <summary>
    /// As long as a statement may run (<paramref name="commandTimeoutSeconds"/>; 0 is no limit), and no longer than
    /// <paramref name="cap"/> when one is given.
    /// </summary>
    public static QueueWaitLimit For(uint commandTimeoutSeconds, TimeSpan? cap = null)
    {
        if (commandTimeoutSeconds == 0)
        {
            return new(Timeout.InfiniteTimeSpan);
        }

        var statement = TimeSpan.FromSeconds(commandTimeoutSeconds);
        return new(cap is { } c && c < statement ? c : statement);
    }

    /// <summary>The error for a <paramref name="what"/> that has waited <paramref name="age"/>, or null while it may still run.</summary>
    public TimeoutException? Exceeded(TimeSpan age, string what) =>
        Max == Timeout.InfiniteTimeSpan || age <= Max
            ? null
            : new TimeoutException($"The {what} waited {age.TotalSeconds:0.0} s for the database and was not run.");
}
