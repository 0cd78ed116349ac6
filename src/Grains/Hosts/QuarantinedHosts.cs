using CompassCi.Grains.Storage;
using CompassCi.Grains.Testboxes;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// The gate every consume passes, answered from memory: the set of quarantined hosts, re-read at most once a
/// second, and at once when a host grain on this silo quarantines or releases one. A primary-key read per consume
/// cost a round trip on the hottest path; the price is that another silo may serve a newly quarantined host for up
/// to a second.
/// </summary>
public sealed class QuarantinedHosts(HostStore store, TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>Whether <paramref name="host"/> may receive work.</summary>
    public async ValueTask<HostGate> GateAsync(string host)
    {
        var snapshot = _snapshot;
        if (snapshot is null || clock.GetUtcNow() - snapshot.At > MaxAge)
        {
            snapshot = await RefreshAsync();
        }

        return snapshot.Gates.TryGetValue(host, out var gate) ? gate : HostGate.Open;
    }

    /// <summary>Forgets the copy: the next consume reads the table.</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> RefreshAsync()
    {
        await _refresh.WaitAsync();
        try
        {
            if (_snapshot is { } fresh && clock.GetUtcNow() - fresh.At <= MaxAge)
            {
                return fresh;
            }

            var at = clock.GetUtcNow();
            var snapshot = new Snapshot(at, await store.ListQuarantinedAsync());
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(DateTimeOffset At, IReadOnlyDictionary<string, HostGate> Gates);
}
