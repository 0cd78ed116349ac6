using System.Text.Json.Serialization;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Source-generated System.Text.Json metadata for everything the generator writes: no reflection on the hot path,
/// and snake_case names to match the API and compass-ci's field names.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(JobSubmission))]
[JsonSerializable(typeof(ConsumeRequest))]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(LongPollReport))]
[JsonSerializable(typeof(RestartReport))]
public sealed partial class WireJson : JsonSerializerContext;
