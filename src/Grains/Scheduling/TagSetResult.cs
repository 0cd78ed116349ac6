namespace CompassCi.Grains.Scheduling;

/// <summary>The outcome of <see cref="TagSet.NormalizeOffer"/>.</summary>
/// <param name="Tags">The normalised tags sorted by key (ordinal); null exactly when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Messages by field, named <c>tags.&lt;key as offered&gt;</c>.</param>
public sealed record TagSetResult(IReadOnlyDictionary<string, string>? Tags, IReadOnlyDictionary<string, string[]> Errors);
