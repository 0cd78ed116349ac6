namespace CompassCi.LoadGenerator;

/// <summary>The body of POST /api/v1/testboxes/{testbox}/consume.</summary>
/// <param name="RequestId">Unique per logical request and reused on retries: the server answers a repeat with the same job.</param>
public sealed record ConsumeRequest(ConsumeTags Tags, int MemoryGb, int WaitSeconds, string RequestId);
