namespace CompassCi.Grains.Lifecycle;

/// <summary>The outcome of <see cref="CrashReportReader.Read(System.Text.Json.Nodes.JsonObject?)"/>: a crash report, or the reasons there is none.</summary>
/// <param name="Report">The report; null when <paramref name="Errors"/> is not empty, and when no crash object was given.</param>
/// <param name="Errors">Messages by field, named from the request body's root: <c>crash.cause</c>, <c>crash.keyvals.url</c>.</param>
public sealed record CrashReportResult(CrashReport? Report, IReadOnlyDictionary<string, string[]> Errors);
