using CompassCi.Grains.Accounts;
using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>accounts</c> and <c>auth_state</c>: accounts by name or by their token's hash, the generated token
/// key, and whether open mode has ended.
/// </summary>
public sealed class AccountStore(MySqlDataSource dataSource)
{
    private const string Columns =
        "my_account, my_email, my_name, token_hash, shares, queued_soft_limit, queued_hard_limit, running_limit, disabled, created_at, updated_at";

    /// <summary>The state row whose presence means open mode has ended.</summary>
    private const string ClosedState = "closed";

    /// <summary>The state row holding the generated token key.</summary>
    private const string TokenKeyState = "token-key";

    public Task<AccountRow?> GetAsync(string account) =>
        dataSource.FirstOrDefaultAsync(new SqlStatement($"SELECT {Columns} FROM accounts WHERE my_account = @a", P("@a", account)), Read);

    public Task<AccountRow?> GetByTokenHashAsync(byte[] tokenHash) =>
        dataSource.FirstOrDefaultAsync(new SqlStatement($"SELECT {Columns} FROM accounts WHERE token_hash = @h", P("@h", tokenHash)), Read);

    public Task<List<AccountRow>> ListAsync() =>
        dataSource.QueryAsync(new SqlStatement($"SELECT {Columns} FROM accounts ORDER BY my_account"), Read);

    /// <summary>Adds the account; false when one of that name exists already.</summary>
    public async Task<bool> InsertAsync(AccountRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return await dataSource.ExecuteAsync(new SqlStatement(
            $"INSERT IGNORE INTO accounts ({Columns}) VALUES (@a, @e, @n, @h, @s, @soft, @hard, @run, @d, @c, @u)",
            P("@a", row.Account), P("@e", row.Email), P("@n", row.Name), P("@h", row.TokenHash), P("@s", row.Shares),
            P("@soft", row.QueuedSoftLimit), P("@hard", row.QueuedHardLimit), P("@run", row.RunningLimit),
            P("@d", row.Disabled ? 1 : 0), P("@c", row.CreatedAt), P("@u", row.UpdatedAt))) == 1;
    }

    /// <summary>Writes the account's settings (everything but its name, token and creation time); false when it does not exist.</summary>
    public async Task<bool> UpdateAsync(AccountRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        // ROW_COUNT counts changed rows; an unchanged row still matched, so existence is read apart.
        await dataSource.ExecuteAsync(new SqlStatement(
            "UPDATE accounts SET my_email = @e, my_name = @n, shares = @s, queued_soft_limit = @soft, queued_hard_limit = @hard, " +
            "running_limit = @run, disabled = @d, updated_at = @u WHERE my_account = @a",
            P("@a", row.Account), P("@e", row.Email), P("@n", row.Name), P("@s", row.Shares), P("@soft", row.QueuedSoftLimit),
            P("@hard", row.QueuedHardLimit), P("@run", row.RunningLimit), P("@d", row.Disabled ? 1 : 0), P("@u", row.UpdatedAt)));
        return await GetAsync(row.Account) is not null;
    }

    /// <summary>
    /// Replaces the account's token hash, only if it is still <paramref name="oldHash"/> (two rotations at once: the
    /// later one sees false, reads again and retries, so each old token is forgotten).
    /// </summary>
    public async Task<bool> ReplaceTokenHashAsync(string account, byte[] oldHash, byte[] newHash, long now) =>
        await dataSource.ExecuteAsync(new SqlStatement(
            "UPDATE accounts SET token_hash = @new, updated_at = @u WHERE my_account = @a AND token_hash = @old",
            P("@a", account), P("@old", oldHash), P("@new", newHash), P("@u", now))) == 1;

    /// <summary>True once open mode has ended: the 'closed' row, or any account (created before the row was written).</summary>
    public async Task<bool> IsClosedAsync() =>
        await dataSource.LongAsync(new SqlStatement(
            "SELECT EXISTS(SELECT 1 FROM auth_state WHERE name = @closed) OR EXISTS(SELECT 1 FROM accounts)", P("@closed", ClosedState))) == 1;

    /// <summary>Ends open mode, for good.</summary>
    public Task CloseAsync() =>
        dataSource.ExecuteAsync(new SqlStatement("INSERT IGNORE INTO auth_state (name, value) VALUES (@closed, 0x01)", P("@closed", ClosedState)));

    /// <summary>The token key every silo of this database shares: <paramref name="candidate"/> if none was stored yet, else the stored one.</summary>
    public async Task<byte[]> TokenKeyAsync(byte[] candidate)
    {
        await dataSource.ExecuteAsync(new SqlStatement(
            "INSERT IGNORE INTO auth_state (name, value) VALUES (@name, @value)", P("@name", TokenKeyState), P("@value", candidate)));
        return await dataSource.FirstOrDefaultAsync(
            new SqlStatement("SELECT value FROM auth_state WHERE name = @name", P("@name", TokenKeyState)),
            r => (byte[])r.GetValue(0)) ?? throw new InvalidOperationException("the token key was written but cannot be read");
    }

    private static AccountRow Read(MySqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3), r.GetInt32(4), r.GetInt32OrNull(5), r.GetInt32OrNull(6),
        r.GetInt32OrNull(7), r.GetFlag(8), r.GetInt64(9), r.GetInt64(10));
}
