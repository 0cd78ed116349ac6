using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// Open or closed. Open (no admin token configured, no account ever created): anonymous callers may do everything.
/// Closed is for good and shared through the database; each silo caches it: the silo that closes flips at once, the
/// others at their next read, at most <see cref="RecheckAfter"/> later. Once closed, never read again.
/// </summary>
public sealed class AccessMode(AccountStore store, TimeProvider clock, ILogger<AccessMode> logger)
{
    /// <summary>How long an open answer is trusted before the database is asked again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(3);

    private volatile bool _closed;
    private long _checkedAt = long.MinValue;

    /// <summary>The last answer, without asking the database (for /readyz and logs).</summary>
    public bool KnownClosed => _closed;

    public async ValueTask<bool> IsClosedAsync()
    {
        var now = clock.GetTimestamp();
        if (_closed || (Interlocked.Read(ref _checkedAt) != long.MinValue && clock.GetElapsedTime(Interlocked.Read(ref _checkedAt), now) < RecheckAfter))
        {
            return _closed;
        }

        try
        {
            _closed = await store.IsClosedAsync();
        }
        catch (Exception error) when (error is MySqlConnector.MySqlException or TimeoutException or InvalidOperationException)
        {
            // The database is away: keep the last answer (open stays open until it can be read; closed never reopens).
            logger.LogWarning("Could not read whether open mode has ended ({Error}); keeping the last answer", error.Message);
        }

        Interlocked.Exchange(ref _checkedAt, now);
        return _closed;
    }

    /// <summary>Ends open mode for good, on this silo at once.</summary>
    public async Task CloseAsync()
    {
        await store.CloseAsync();
        _closed = true;
    }
}
