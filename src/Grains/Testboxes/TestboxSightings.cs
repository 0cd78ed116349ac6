using System.Collections.Concurrent;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Testboxes;

/// <summary>
/// The registry's record of consumes, written behind the consume rather than in it. What a box offers and when it
/// last asked is soft state: writing it in each consume, with its own durable commit, halved consume throughput.
/// Sightings are merged per testbox and written as one multi-row upsert a moment later; readers on this silo flush
/// first, so they see every consume this silo has answered.
/// </summary>
public sealed class TestboxSightings(TestboxStore store, ILogger<TestboxSightings> logger)
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _writing = new(1, 1);
    private ConcurrentDictionary<string, TestboxSighting> _pending = new(StringComparer.Ordinal);
    private int _scheduled;

    /// <summary>Records a sighting to be written shortly; a later one for the same box replaces what it says.</summary>
    public void Record(TestboxSighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        _pending.AddOrUpdate(sighting.Testbox, sighting, (_, earlier) => sighting.Tags is null
            ? earlier with { Seen = Math.Max(earlier.Seen, sighting.Seen), WaitingUntil = sighting.WaitingUntil }
            : sighting);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _ = FlushSoonAsync();
        }
    }

    /// <summary>Writes every sighting recorded so far. Never throws: a registry that is a moment behind is no failure.</summary>
    public async Task FlushAsync()
    {
        await _writing.WaitAsync();
        try
        {
            var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<string, TestboxSighting>(StringComparer.Ordinal));
            if (!batch.IsEmpty)
            {
                await store.UpsertSightingsAsync([.. batch.Values]);
            }
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Testbox sightings not written; the registry shows them after the next consume");
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task FlushSoonAsync()
    {
        await Task.Delay(Delay);
        Volatile.Write(ref _scheduled, 0);
        await FlushAsync();
    }
}
