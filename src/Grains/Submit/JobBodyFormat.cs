namespace CompassCi.Grains.Submit;

/// <summary>How a submitted job body is written.</summary>
internal enum JobBodyFormat
{
    Json,
    Yaml,
}
