namespace CompassCi.Grains.Clusters;

/// <summary>The outcome of <see cref="ClusterSpecReader.Read"/>: a spec, or the reasons there is none.</summary>
/// <param name="Spec">The spec; null exactly when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Messages by field, each field the path of the key in the spec (<c>ip0</c>, <c>nodes.h1.roles</c>).</param>
public sealed record ClusterSpecResult(ClusterSpec? Spec, IReadOnlyDictionary<string, string[]> Errors);
