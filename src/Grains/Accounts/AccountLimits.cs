using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// The queued-job limits of accounts as a submit needs them, kept on this silo for <see cref="CacheFor"/> so that a
/// submit costs no database read. A change through the account API on this silo applies at once (it is a listener);
/// one made on another silo applies here within <see cref="CacheFor"/>.
/// </summary>
public sealed class AccountLimits(AccountStore store, TimeProvider clock) : IAccountChangeListener
{
    /// <summary>How long a read is trusted before the row is read again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int? Soft, int? Hard, long ReadAtMs)> _known = new(StringComparer.Ordinal);

    /// <summary>The limits the account's row sets (both null without a row, or where it keeps the defaults).</summary>
    public async Task<(int? SoftLimit, int? HardLimit)> GetAsync(string account)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_known.TryGetValue(account, out var known) && now - known.ReadAtMs < (long)CacheFor.TotalMilliseconds)
        {
            return (known.Soft, known.Hard);
        }

        var row = await store.GetAsync(account);
        _known[account] = (row?.QueuedSoftLimit, row?.QueuedHardLimit, now);
        return (row?.QueuedSoftLimit, row?.QueuedHardLimit);
    }

    /// <inheritdoc/>
    public Task AccountChanged(string account)
    {
        _known.TryRemove(account, out _);
        return Task.CompletedTask;
    }
}
