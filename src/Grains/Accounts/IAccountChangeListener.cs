namespace CompassCi.Grains.Accounts;

/// <summary>
/// Told after an account is created or changed (shares, limits, disabled), so that what caches them (fair-share, the
/// quotas) reads them again.
/// </summary>
public interface IAccountChangeListener
{
    /// <summary><paramref name="account"/> was created or changed.</summary>
    Task AccountChanged(string account);
}
