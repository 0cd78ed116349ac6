using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Queues;

/// <summary>
/// Queue keys indexed by tag: for every <c>k=v</c>, the keys that require it. Finding the keys a testbox
/// satisfies counts, per key, how many of its tags the testbox offers — a set intersection that costs
/// the offered tags' postings, not the number of queues. Not thread-safe; the owner locks.
/// </summary>
public sealed class TagIndex
{
    private readonly Dictionary<string, List<string>> _keysByTag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tagCounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys => _keys;

    public bool Contains(string key) => _keys.Contains(key);

    /// <summary>Adds a canonical key (<c>k=v,k=v</c> or <c>*</c>); false when already present.</summary>
    public bool Add(string key)
    {
        if (!_keys.Add(key))
        {
            return false;
        }

        if (key == TagSet.MatchAll)
        {
            return true;
        }

        var tags = key.Split(',');
        _tagCounts[key] = tags.Length;
        foreach (var tag in tags)
        {
            if (!_keysByTag.TryGetValue(tag, out var keys))
            {
                _keysByTag[tag] = keys = [];
            }

            keys.Add(key);
        }

        return true;
    }

    /// <summary>Every key whose tags are all among <paramref name="offered"/>.</summary>
    public List<string> Satisfied(IReadOnlyDictionary<string, string> offered)
    {
        var hits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (k, v) in offered)
        {
            if (_keysByTag.TryGetValue(k + "=" + v, out var keys))
            {
                foreach (var key in keys)
                {
                    hits[key] = hits.GetValueOrDefault(key) + 1;
                }
            }
        }

        var result = hits.Where(h => _tagCounts[h.Key] == h.Value).Select(h => h.Key).ToList();
        if (_keys.Contains(TagSet.MatchAll))
        {
            result.Add(TagSet.MatchAll);
        }

        return result;
    }
}
