namespace CompassCi.Api.Jobs;

/// <summary>How a submitted job body is written.</summary>
internal enum JobBodyFormat
{
    Json,
    Yaml,
}
