using CompassCi.Grains.Jobs;
using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>consume_requests</c>: one row per consume request (a testbox and its request id), the fence that
/// makes a retried consume safe. Every attempt bumps the row's attempt; an assignment commits only while its attempt is
/// still the latest (<see cref="FenceCondition"/>), so a write still in flight from a silo that died can never land
/// after the retry looked.
/// </summary>
/// <remarks>
/// The first attempt of a request that finds a job at once does not count itself here: its claim inserts the row
/// (attempt 1, a token of its own) in the claim's own transaction and is fenced on that token (see
/// <see cref="JobClaimStore"/>), one commit instead of two. Counting an attempt here clears the token, which fences
/// such a claim off as a bumped attempt does.
/// </remarks>
/// <remarks>
/// A request id names a request only together with its testbox: testboxes choose their ids on their own (a counter, a
/// "1"), so the same id from two testboxes is two requests; neither may fence, end or answer the other.
/// </remarks>
public sealed class ConsumeRequestStore(MySqlConnector.MySqlDataSource dataSource, GroupCommitter committer)
{
    /// <summary>
    /// The condition an assignment (or the release of one) adds to its update: the latest attempt of consume request
    /// <c>@fence_request</c> (the lease id) of testbox <c>@fence_testbox</c> is still <c>@attempt</c>. A locking read, so
    /// a retry that bumps the attempt waits for this write to commit or fail, and a write of an older attempt that
    /// arrives later changes nothing. Its parameters come from <see cref="FenceParameters"/>.
    /// </summary>
    internal const string FenceCondition =
        "(SELECT attempt FROM consume_requests WHERE testbox = @fence_testbox AND request_id = @fence_request LOCK IN SHARE MODE) = @attempt";

    /// <summary>
    /// The parameters of <see cref="FenceCondition"/> for <paramref name="change"/>: the request that leases the job, which is
    /// the lease before the change (a release) or, when there was none, after it (an assignment), with its testbox.
    /// </summary>
    internal static MySqlParameter[] FenceParameters(JobChange change, int attempt)
    {
        ArgumentNullException.ThrowIfNull(change);
        var leased = change.Before.LeaseId is not null ? change.Before : change.After;
        return [P("@attempt", attempt), P("@fence_request", leased.LeaseId), P("@fence_testbox", leased.Testbox)];
    }

    /// <summary>
    /// Records one more attempt of <paramref name="testbox"/>'s consume request <paramref name="requestId"/> and returns
    /// its number (1 for the first). The row lock orders it against any assignment of an earlier attempt still in flight;
    /// the cleared token fences off a first attempt's claim (see the remarks above).
    /// </summary>
    public Task<int> BeginAttemptAsync(string requestId, string testbox, long nowMillis) =>
        committer.WriteAsync(
            [new SqlStatement(
                "INSERT INTO consume_requests (request_id, testbox, attempt, created_at) VALUES (@r, @t, 1, @now) ON DUPLICATE KEY UPDATE attempt = attempt + 1, token = NULL",
                P("@r", requestId), P("@t", testbox), P("@now", nowMillis))],
            "SELECT attempt FROM consume_requests WHERE testbox = @t AND request_id = @r");

    /// <summary>Forgets consume request ids older than <paramref name="beforeMillis"/>; returns how many.</summary>
    public Task<int> DeleteOlderThanAsync(long beforeMillis, int limit) =>
        dataSource.ExecuteAsync(new SqlStatement($"DELETE FROM consume_requests WHERE created_at < @before LIMIT {SqlLists.Limit(limit)}", P("@before", beforeMillis)));
}
