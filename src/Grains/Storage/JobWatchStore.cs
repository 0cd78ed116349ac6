using CompassCi.Contracts.Watch;
using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>What live job watches read: a job's history with its version, and the jobs whose history grew since a time.</summary>
public sealed class JobWatchStore(MySqlDataSource dataSource)
{
    /// <summary>The job's version and history (a JSON array), read together; null when there is no such job.</summary>
    public async Task<(int Version, string History)?> GetHistoryAsync(long id, CancellationToken cancellationToken)
    {
        var rows = await dataSource.QueryAsync(
            new SqlStatement("SELECT version, COALESCE(events, '[]') FROM jobs WHERE id = @id", Id("@id", id)),
            r => (r.GetInt32(0), r.GetString(1)),
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// The id and history of every job <paramref name="filter"/> matches whose history grew at or after
    /// <paramref name="sinceMillis"/> (its <c>changed_at</c>).
    /// </summary>
    public Task<List<(long JobId, string History)>> ListChangedSinceAsync(WatchFilter filter, long sinceMillis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = "SELECT id, COALESCE(events, '[]') FROM jobs WHERE changed_at >= @since" +
                  (filter.MyAccount is null ? "" : " AND my_account = @my_account") +
                  (filter.Suite is null ? "" : " AND suite = @suite") +
                  (filter.TboxGroup is null ? "" : " AND tbox_group = @tbox_group") +
                  (filter.Testbox is null ? "" : " AND testbox = @testbox");
        return dataSource.QueryAsync(
            new SqlStatement(
                sql,
                P("@since", sinceMillis), P("@my_account", filter.MyAccount), P("@suite", filter.Suite),
                P("@tbox_group", filter.TboxGroup), P("@testbox", filter.Testbox)),
            r => (r.GetId(0), r.GetString(1)),
            cancellationToken);
    }
}
