namespace CompassCi.Grains.Scheduling;

/// <summary>
/// Tag sets and their canonical text form, the queue key: tags sorted by name (ordinal) as <c>k=v</c>
/// joined by <c>,</c>, or <c>*</c> for no tags. A job waits in the queue named by its required tags; a
/// testbox may take from every queue whose tags it all offers.
/// </summary>
public static class TagSet
{
    /// <summary>The queue key of a job that requires nothing: every testbox matches it.</summary>
    public const string MatchAll = "*";

    /// <summary>
    /// Checks the tags a testbox offers and folds aliases into their canonical names
    /// (<c>os_arch</c> → <c>arch</c>, <c>hw_type</c> → <c>tbox_type</c>).
    /// </summary>
    /// <param name="offered">Tag names to values, as the testbox sent them.</param>
    /// <returns>The tags sorted by name, or errors named <c>tags.&lt;name&gt;</c>.</returns>
    public static TagSetResult NormalizeOffer(IReadOnlyDictionary<string, string> offered)
    {
        ArgumentNullException.ThrowIfNull(offered);
        var errors = new FieldErrors();
        var tags = new TagCollector(errors);

        // Canonical names first, so that a clash between arch and os_arch is always reported on the alias.
        foreach (var (key, value) in offered.OrderBy(t => TagRules.IsAlias(t.Key)).ThenBy(t => t.Key, StringComparer.Ordinal))
        {
            var field = "tags." + key;
            if (TagRules.KeyError(key) is { } problem)
            {
                errors.Add(field, problem);
                continue;
            }

            if (value is null)
            {
                errors.Add(field, "must not be null");
                continue;
            }

            tags.Add(field, TagRules.Canonical(key), value);
        }

        return errors.Count > 0
            ? new TagSetResult(null, errors.ToDictionary())
            : new TagSetResult(tags.ToSorted(), errors.ToDictionary());
    }

    /// <summary>The queue key of <paramref name="tags"/>: <c>k=v</c> sorted by <c>k</c> (ordinal), joined by <c>,</c>; <c>*</c> when empty.</summary>
    /// <exception cref="ArgumentException">A name or value breaks the tag rules, so the key could not be read back.</exception>
    public static string CanonicalKey(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count == 0)
        {
            return MatchAll;
        }

        foreach (var (key, value) in tags)
        {
            if ((TagRules.KeyError(key) ?? (value is null ? "must not be null" : TagRules.ValueError(value))) is { } problem)
            {
                throw new ArgumentException($"tag {key}: {problem}", nameof(tags));
            }
        }

        return string.Join(',', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "=" + t.Value));
    }

    /// <summary>The tags of a queue key made by <see cref="CanonicalKey"/>, in key order; <c>*</c> gives none.</summary>
    /// <exception cref="FormatException"><paramref name="key"/> is not a canonical queue key.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key == MatchAll)
        {
            return [];
        }

        var tags = new List<KeyValuePair<string, string>>();
        foreach (var pair in key.Split(','))
        {
            // Names cannot hold '=', values can: the first one separates them.
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new FormatException($"\"{key}\" is not a queue key: \"{pair}\" has no '='");
            }

            var (name, value) = (pair[..equals], pair[(equals + 1)..]);
            if ((TagRules.KeyError(name) ?? TagRules.ValueError(value)) is { } problem)
            {
                throw new FormatException($"\"{key}\" is not a queue key: {problem}");
            }

            // Out of order or repeated names would give one tag set two keys, and two queues for the same jobs.
            if (tags.Count > 0 && string.CompareOrdinal(tags[^1].Key, name) >= 0)
            {
                throw new FormatException($"\"{key}\" is not a queue key: tags must be in ascending order of name, each once");
            }

            tags.Add(new(name, value));
        }

        return tags;
    }
}
