using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>submit_keys</c>: the job each (account, <c>submit_id</c>) created. A key is written only in the
/// transaction that stores its job (<see cref="JobStore.InsertAsync"/>), so a key never names a job that does not exist.
/// </summary>
public sealed class SubmitKeyStore(MySqlConnector.MySqlDataSource dataSource)
{
    /// <summary>The key's row, for the transaction that inserts its job; a duplicate key fails that transaction.</summary>
    internal static SqlStatement Insert(SubmitKey key, long jobId, long nowMillis) => new(
        "INSERT INTO submit_keys (my_account, submit_id, job_id, digest, created_at) VALUES (@key_account, @key_submit_id, @key_job_id, @key_digest, @key_now)",
        P("@key_account", key.Account), P("@key_submit_id", key.SubmitId), Id("@key_job_id", jobId), P("@key_digest", key.Digest), P("@key_now", nowMillis));

    /// <summary>The job the account's <paramref name="submitId"/> created, and that submit's digest; null when unused.</summary>
    public Task<(long JobId, string Digest)?> FindAsync(string account, string submitId) =>
        dataSource.FirstOrDefaultAsync<(long, string)?>(
            new SqlStatement("SELECT job_id, digest FROM submit_keys WHERE my_account = @account AND submit_id = @submit_id", P("@account", account), P("@submit_id", submitId)),
            r => (r.GetId(0), r.GetString(1)));
}
