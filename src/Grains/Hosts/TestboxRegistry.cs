using System.Text.Json.Nodes;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Testboxes;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Hosts;

/// <summary>
/// The registry as "why is it waiting" and submit warnings read it: every testbox seen in the window, what it
/// offers and what it is doing. Submit warnings take a copy at most a few seconds old, so a burst of submits costs
/// one query, not one each.
/// </summary>
public sealed class TestboxRegistry(TestboxStore store, TestboxSightings sightings, TimeProvider clock, IOptions<LifecycleOptions> lifecycle, IOptions<HostPolicyOptions> hosts)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (DateTimeOffset At, IReadOnlyList<SeenTestbox> Seen)? _cached;

    /// <summary>How long without contact before a box that does not heartbeat counts as offline.</summary>
    public TimeSpan SilentAfter => TimeSpan.FromSeconds((double)lifecycle.Value.HeartbeatIntervalSeconds * lifecycle.Value.MissedHeartbeats);

    /// <summary>The state of one registry row now.</summary>
    public string StateOf(TestboxRow row) => TestboxStates.Of(row, clock.GetUtcNow().ToUnixTimeMilliseconds(), SilentAfter);

    /// <summary>Testboxes seen within the window; <paramref name="fresh"/> reads the table now instead of a recent copy.</summary>
    public async Task<IReadOnlyList<SeenTestbox>> SeenRecentlyAsync(bool fresh)
    {
        var now = clock.GetUtcNow();
        if (!fresh && _cached is { } cached && now - cached.At < CacheFor)
        {
            return cached.Seen;
        }

        await _refresh.WaitAsync();
        try
        {
            if (!fresh && _cached is { } recent && clock.GetUtcNow() - recent.At < CacheFor)
            {
                return recent.Seen;
            }

            IReadOnlyList<SeenTestbox> seen = [.. (await ListSeenAsync(now)).Select(r => new SeenTestbox(r.Testbox, Offers(r), r.MemoryMb, StateOf(r), r.LastSeen ?? 0))];
            _cached = (now, seen);
            return seen;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Testboxes seen within the window, counted by state (every state, zeros included), read now — for the gauges. It
    /// leaves the submit warnings' recent copy alone: filling it on the gauges' schedule would make a submit right after
    /// a box first asked for work warn from a copy taken before the box was known.
    /// </summary>
    public async Task<Dictionary<string, int>> CountByStateAsync()
    {
        var states = (await ListSeenAsync(clock.GetUtcNow())).Select(StateOf).ToList();
        return TestboxStates.All.ToDictionary(state => state, state => states.Count(s => s == state), StringComparer.Ordinal);
    }

    /// <summary>The registry rows of the testboxes seen within the window before <paramref name="now"/>.</summary>
    private async Task<List<TestboxRow>> ListSeenAsync(DateTimeOffset now)
    {
        var since = (now - hosts.Value.SeenWindow).ToUnixTimeMilliseconds();
        return [.. (await ListAsync()).Where(r => r.LastSeen >= since)];
    }

    /// <summary>The registry rows (of one host, or all), including every consume this silo has answered.</summary>
    public async Task<List<TestboxRow>> ListAsync(string? host = null)
    {
        await sightings.FlushAsync();
        return await store.ListAsync(host);
    }

    /// <summary>What a box offers: the tags of its last consume, or, for a box that only heartbeat, its name and group.</summary>
    public static IReadOnlyDictionary<string, string> Offers(TestboxRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (row.TagsJson is { } json && JsonNode.Parse(json) is JsonObject stored)
        {
            foreach (var (key, value) in stored)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    tags[key] = text;
                }
            }
        }

        tags.TryAdd("testbox", row.Testbox);
        tags.TryAdd("tbox_group", Scheduling.TboxGroup.FromTestbox(row.Testbox));
        return tags;
    }
}
