namespace CompassCi.Grains.Hosts;

/// <summary>
/// One physical host (osstest's host lifecycle): which jobs touched it since its last wipe, and whether it is
/// quarantined. Its history is the jobs table's; this grain serialises the decisions about the host (wipe,
/// quarantine, release) so two jobs ending at once cannot both act on a half-read history.
/// </summary>
public interface IHostLifecycleGrain : IGrainWithStringKey
{
    /// <summary>A job on this host ended: it may wipe the host (<c>wipes_host</c>), quarantine it, or, as its health check, release it.</summary>
    Task JobEnded(long jobId);

    /// <summary>The host was reinstalled: its history starts again now.</summary>
    Task Wiped(string reason);

    /// <summary>An operator releases the quarantined host; false when it was not quarantined.</summary>
    Task<bool> Release(string reason);
}
