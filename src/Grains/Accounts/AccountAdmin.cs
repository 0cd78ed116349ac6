using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// Creating, changing and re-keying accounts. Every change forgets the cached token (so a disable or a rotation
/// takes effect at once on every silo) and tells each <see cref="IAccountChangeListener"/>.
/// </summary>
public sealed class AccountAdmin(
    AccountStore store,
    TokenKey tokenKey,
    AccessMode mode,
    IGrainFactory grains,
    IEnumerable<IAccountChangeListener> listeners,
    TimeProvider clock,
    ILogger<AccountAdmin> logger)
{
    /// <summary>
    /// Creates the account with a new token (answered this once, never stored in clear); null when the name is taken.
    /// Ends open mode.
    /// </summary>
    public async Task<(AccountRow Row, string Token)?> CreateAsync(AccountRow settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var token = Tokens.NewAccountToken();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = settings with { TokenHash = Tokens.Hash(await tokenKey.GetAsync(), token), CreatedAt = now, UpdatedAt = now };
        var wasOpen = !await mode.IsClosedAsync();
        if (!await store.InsertAsync(row))
        {
            return null;
        }

        await mode.CloseAsync();
        logger.LogInformation("Account {Account} created", row.Account);
        if (wasOpen)
        {
            logger.LogWarning("Open mode has ended for good with the first account: every call but the health probes now needs a token");
        }
        await TellAsync(row.Account);
        return (row, token);
    }

    /// <summary>Writes the account's new settings; null when it does not exist.</summary>
    public async Task<AccountRow?> UpdateAsync(string account, Func<AccountRow, AccountRow> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (await store.GetAsync(account) is not { } current)
        {
            return null;
        }

        var updated = change(current) with { Account = current.Account, TokenHash = current.TokenHash, CreatedAt = current.CreatedAt, UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        if (!await store.UpdateAsync(updated))
        {
            return null;
        }

        await Forget(current.TokenHash);
        logger.LogInformation("Account {Account} changed (disabled: {Disabled}, shares: {Shares})", account, updated.Disabled, updated.Shares);
        await TellAsync(account);
        return updated;
    }

    /// <summary>Gives the account a new token (answered this once); the old one stops working at once. Null when it does not exist.</summary>
    public async Task<(AccountRow Row, string Token)?> RotateAsync(string account)
    {
        var key = await tokenKey.GetAsync();
        while (await store.GetAsync(account) is { } current)
        {
            var token = Tokens.NewAccountToken();
            var hash = Tokens.Hash(key, token);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (await store.ReplaceTokenHashAsync(account, current.TokenHash, hash, now))
            {
                await Forget(current.TokenHash);
                logger.LogInformation("Account {Account}: token rotated; the old one no longer works", account);
                await TellAsync(account);
                return (current with { TokenHash = hash, UpdatedAt = now }, token);
            }
        }

        return null;
    }

    private Task Forget(byte[] tokenHash) => grains.GetGrain<ITokenGrain>(Tokens.Hex(tokenHash)).Forget();

    private async Task TellAsync(string account)
    {
        foreach (var listener in listeners)
        {
            await listener.AccountChanged(account);
        }
    }
}
