namespace CompassCi.Grains.Accounts;

/// <summary>
/// One account token, keyed by the hex of its HMAC. The one activation in the cluster caches whose token it is, so a
/// token is read from the database once, and <see cref="Forget"/> after a rotation, a disable or any change makes every
/// silo's next call read again: the old token stops working at once everywhere.
/// </summary>
public interface ITokenGrain : IGrainWithStringKey
{
    /// <summary>The account the token belongs to; null when no account has it.</summary>
    Task<AccountIdentity?> Get();

    /// <summary>Drops what was cached; the next <see cref="Get"/> reads the database.</summary>
    Task Forget();
}
