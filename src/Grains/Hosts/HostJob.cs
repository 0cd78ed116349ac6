namespace CompassCi.Grains.Hosts;

/// <summary>
/// One job that touched a host, as its lifecycle keeps it (after osstest's host lifecycle table): enough to say
/// which jobs ran before or alongside another on the same machine since it was last wiped, and how they ended.
/// </summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Testbox">The testbox on the host the job was handed to.</param>
/// <param name="StartTime">When the job was handed to the testbox, unix milliseconds.</param>
/// <param name="EndTime">When the job ended, unix milliseconds; null while it runs.</param>
/// <param name="Setup">
/// True for a provisioning or setup job (osstest's <c>selectprep</c>): it changes the host on purpose, so it is
/// marked in lifecycles and never elided.
/// </param>
/// <param name="Health">How the job ended (a <see cref="Contracts.Jobs.JobHealth"/> value); null while it runs.</param>
/// <param name="CrashCause">The crash's cause (a <see cref="Contracts.Jobs.CrashCause"/> value) when the job crashed, else null.</param>
public sealed record HostJob(long JobId, string Testbox, long StartTime, long? EndTime, bool Setup, string? Health, string? CrashCause)
{
    /// <summary>
    /// True when this job and <paramref name="other"/> ran at the same time: their intervals
    /// [<see cref="StartTime"/>, <see cref="EndTime"/>), open-ended while running, share a moment. A job that
    /// starts exactly when another ends did not run alongside it.
    /// </summary>
    public bool Overlaps(HostJob other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return StartTime < (other.EndTime ?? long.MaxValue) && other.StartTime < (EndTime ?? long.MaxValue);
    }
}
