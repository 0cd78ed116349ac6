using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>consume_requests</c>: one row per consume request id, the fence that makes a retried consume safe.
/// Every attempt bumps the row's attempt; an assignment commits only while its attempt is still the latest
/// (<see cref="FenceCondition"/>), so a write still in flight from a silo that died can never land after the retry looked.
/// </summary>
public sealed class ConsumeRequestStore(MySqlConnector.MySqlDataSource dataSource, GroupCommitter committer)
{
    /// <summary>
    /// The condition an assignment (or the release of one) adds to its update: the latest attempt of consume request
    /// <c>@fence_request</c> (the lease id) is still <c>@attempt</c>. A locking read, so a retry that bumps the attempt
    /// waits for this write to commit or fail, and a write of an older attempt that arrives later changes nothing.
    /// </summary>
    internal const string FenceCondition = "(SELECT attempt FROM consume_requests WHERE request_id = @fence_request LOCK IN SHARE MODE) = @attempt";

    /// <summary>
    /// Records one more attempt of a consume request and returns its number (1 for the first). The row lock orders it
    /// against any assignment of an earlier attempt still in flight.
    /// </summary>
    public Task<int> BeginAttemptAsync(string requestId, string testbox, long nowMillis) =>
        committer.WriteAsync(
            [new SqlStatement(
                "INSERT INTO consume_requests (request_id, testbox, attempt, created_at) VALUES (@r, @t, 1, @now) ON DUPLICATE KEY UPDATE attempt = attempt + 1",
                P("@r", requestId), P("@t", testbox), P("@now", nowMillis))],
            "SELECT attempt FROM consume_requests WHERE request_id = @r");

    /// <summary>Forgets consume request ids older than <paramref name="beforeMillis"/>; returns how many.</summary>
    public Task<int> DeleteOlderThanAsync(long beforeMillis, int limit) =>
        dataSource.ExecuteAsync(new SqlStatement($"DELETE FROM consume_requests WHERE created_at < @before LIMIT {SqlLists.Limit(limit)}", P("@before", beforeMillis)));
}
