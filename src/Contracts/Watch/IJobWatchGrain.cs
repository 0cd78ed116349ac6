using CompassCi.Contracts.Jobs;

namespace CompassCi.Contracts.Watch;

/// <summary>
/// Live job changes for Orleans clients: the same events, positions and guarantees as the REST API's server-sent
/// events (<c>/api/v1/jobs/{id}/watch</c>, <c>/api/v1/watch</c>). A stateless worker: call it with key 0. Each call is
/// a long poll from a position, so a client that lost its silo asks again from the last position it saw and misses
/// nothing, sees nothing twice.
/// </summary>
[Alias("CompassCi.IJobWatchGrain.v1")]
public interface IJobWatchGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The changes of one job after position <paramref name="after"/> (null: from its first), waiting up to
    /// <paramref name="maxWait"/> for one when there are none yet. Keep <paramref name="maxWait"/> well under the
    /// client's response timeout (30 s by default).
    /// </summary>
    [Alias("Job")]
    Task<JobEvents> Job(string id, string? after, TimeSpan maxWait);

    /// <summary>
    /// The changes of every job <paramref name="filter"/> matches after position <paramref name="after"/> (null: from
    /// now), waiting up to <paramref name="maxWait"/> for one.
    /// </summary>
    [Alias("Jobs")]
    Task<JobEvents> Jobs(WatchFilter filter, string? after, TimeSpan maxWait);
}
