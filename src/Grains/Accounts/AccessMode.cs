using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// Open or closed. Open (no admin token configured, no account ever created): anonymous callers may do everything.
/// Closed is for good and shared through the database; each silo caches it: the silo that closes flips at once, the
/// others when their cached answer, older than <see cref="RecheckAfter"/>, has been read again in the background. Once
/// closed, never read again. Requests never wait on the database for it, except the very first.
/// </summary>
public sealed class AccessMode(AccountStore store, TimeProvider clock, ILogger<AccessMode> logger)
{
    /// <summary>How long an open answer is trusted before the database is asked again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(3);

    private volatile bool _closed;
    private bool _known;
    private long _checkedAt;
    private int _refreshing;

    public async ValueTask<bool> IsClosedAsync()
    {
        if (_closed)
        {
            return true;
        }

        if (!Volatile.Read(ref _known))
        {
            await RefreshAsync();
            return _closed;
        }

        if (clock.GetElapsedTime(Interlocked.Read(ref _checkedAt)) >= RecheckAfter && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync();
                }
                finally
                {
                    Volatile.Write(ref _refreshing, 0);
                }
            });
        }

        return _closed;
    }

    /// <summary>Ends open mode for good, on this silo at once.</summary>
    public async Task CloseAsync()
    {
        await store.CloseAsync();
        _closed = true;
        Volatile.Write(ref _known, true);
    }

    private async Task RefreshAsync()
    {
        try
        {
            _closed = _closed || await store.IsClosedAsync();
            Volatile.Write(ref _known, true);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The database is away: keep the last answer (closed never reopens), and ask again after RecheckAfter.
            logger.LogWarning("Could not read whether open mode has ended ({Error}); keeping the last answer", error.Message);
        }

        Interlocked.Exchange(ref _checkedAt, clock.GetTimestamp());
    }
}
