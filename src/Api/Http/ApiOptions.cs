namespace CompassCi.Api.Http;

/// <summary>Limits of the HTTP API (configuration section <c>CompassCi:Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>Largest request body accepted; larger ones get 413. Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Default long-poll wait of a consume that names none. Default 30 s.</summary>
    public int DefaultWaitSeconds { get; set; } = 30;

    /// <summary>Longest long-poll wait a consume may ask for. Default 120 s.</summary>
    public int MaxWaitSeconds { get; set; } = 120;
}
