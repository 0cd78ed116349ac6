using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>What a submit's quota check reads: the account's queued jobs and its own limits (NULL: the defaults).</summary>
public sealed class QuotaStore(MySqlConnector.MySqlDataSource dataSource)
{
    /// <summary>How many jobs of <paramref name="account"/> are pending, and the limits its accounts row sets, if any.</summary>
    public async Task<(long Queued, int? SoftLimit, int? HardLimit)> ReadAsync(string account) =>
        await dataSource.FirstOrDefaultAsync(
            new SqlStatement(
                "SELECT (SELECT COUNT(*) FROM jobs WHERE my_account = @account AND job_stage = 'submit'), a.queued_soft_limit, a.queued_hard_limit " +
                "FROM (SELECT 1) AS one LEFT JOIN accounts a ON a.my_account = @account",
                P("@account", account)),
            r => (r.GetInt64(0), r.IsDBNull(1) ? (int?)null : r.GetInt32(1), r.IsDBNull(2) ? (int?)null : r.GetInt32(2)));
}
