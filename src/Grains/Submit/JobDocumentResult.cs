using System.Text.Json.Nodes;

namespace CompassCi.Grains.Submit;

/// <summary>The outcome of <see cref="JobDocumentReader.Read"/>: a job document, or the reasons there is none.</summary>
/// <param name="Document">The job as it is to be stored; null exactly when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Messages by field: <c>body</c>, <c>content_type</c>, or a job field such as <c>suite</c>.</param>
public sealed record JobDocumentResult(JsonObject? Document, IReadOnlyDictionary<string, string[]> Errors);
