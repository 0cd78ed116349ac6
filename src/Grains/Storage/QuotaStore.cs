using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>What a submit's quota check reads from the table: the account's own limits (NULL: the defaults).</summary>
public sealed class QuotaStore(MySqlConnector.MySqlDataSource dataSource)
{
    /// <summary>The queued-job limits the accounts row of <paramref name="account"/> sets; both null when it has no row.</summary>
    public async Task<(int? SoftLimit, int? HardLimit)> ReadLimitsAsync(string account) =>
        await dataSource.FirstOrDefaultAsync(
            new SqlStatement("SELECT queued_soft_limit, queued_hard_limit FROM accounts WHERE my_account = @account", P("@account", account)),
            r => (r.IsDBNull(0) ? (int?)null : r.GetInt32(0), r.IsDBNull(1) ? (int?)null : r.GetInt32(1)));
}
