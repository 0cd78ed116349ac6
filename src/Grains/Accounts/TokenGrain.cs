using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// Caches one token's account. Not reentrant: a <see cref="Forget"/> is never overtaken by a read that started before
/// it, so after the account's row changed and Forget returned, no caller sees the old answer.
/// </summary>
public sealed class TokenGrain(AccountStore accounts) : Grain, ITokenGrain
{
    private AccountIdentity? _identity;
    private bool _read;

    public async Task<AccountIdentity?> Get()
    {
        if (!_read)
        {
            var row = await accounts.GetByTokenHashAsync(Convert.FromHexString(this.GetPrimaryKeyString()));
            _identity = row is null ? null : new AccountIdentity(row.Account, row.Disabled);
            _read = true;
        }

        return _identity;
    }

    public Task Forget()
    {
        _identity = null;
        _read = false;
        return Task.CompletedTask;
    }
}
