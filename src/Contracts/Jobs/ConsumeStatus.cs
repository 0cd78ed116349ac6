namespace CompassCi.Contracts.Jobs;

/// <summary>How a consume ended.</summary>
[GenerateSerializer, Alias("CompassCi.ConsumeStatus.v1")]
public enum ConsumeStatus
{
    /// <summary>A job was handed to the testbox (HTTP 200).</summary>
    Job = 0,

    /// <summary>Nothing arrived within the wait (HTTP 204).</summary>
    None = 1,

    /// <summary>The ask is wrong (HTTP 400); <see cref="ConsumeResult.Errors"/> names each field.</summary>
    Invalid = 2,

    /// <summary>The testbox's host is quarantined (HTTP 204 with <c>X-CompassCi-Quarantined</c>); the message says why.</summary>
    Quarantined = 3,
}
