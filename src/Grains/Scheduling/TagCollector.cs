namespace CompassCi.Grains.Scheduling;

/// <summary>
/// Gathers tags from several fields (top-level fields, aliases, a <c>tags</c> object), reporting a tag given
/// twice with different values against the field that came second.
/// </summary>
internal sealed class TagCollector(FieldErrors errors)
{
    private readonly SortedDictionary<string, (string Value, string Field)> _tags = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="key"/>=<paramref name="value"/>, which came from <paramref name="field"/>.</summary>
    public void Add(string field, string key, string value)
    {
        if (TagRules.ValueError(key, value) is { } problem)
        {
            errors.Add(field, problem);
            return;
        }

        if (!_tags.TryGetValue(key, out var earlier))
        {
            _tags[key] = (value, field);
        }
        else if (earlier.Value != value)
        {
            errors.Add(field, $"\"{value}\" conflicts with {earlier.Field}: \"{earlier.Value}\"");
        }
    }

    public bool Contains(string key) => _tags.ContainsKey(key);

    /// <summary>The value of <paramref name="key"/> and the field it came from.</summary>
    public bool TryGet(string key, out string value, out string field)
    {
        var found = _tags.TryGetValue(key, out var entry);
        (value, field) = found ? entry : (string.Empty, string.Empty);
        return found;
    }

    public string? ValueOf(string key) => _tags.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>The tags sorted by key (ordinal).</summary>
    public SortedDictionary<string, string> ToSorted()
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, entry) in _tags)
        {
            sorted[key] = entry.Value;
        }

        return sorted;
    }
}
