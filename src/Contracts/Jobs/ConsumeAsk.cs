namespace CompassCi.Contracts.Jobs;

/// <summary>
/// A testbox asking for work, as the REST API's <c>POST /api/v1/testboxes/{testbox}/consume</c> takes it. With a
/// <see cref="RequestId"/>, asking again after a lost answer gets the job the first ask took, never a second one.
/// </summary>
[GenerateSerializer, Immutable, Alias("CompassCi.ConsumeAsk.v1")]
public sealed record ConsumeAsk
{
    /// <summary>The testbox's name; it also offers its own name and the <c>tbox_group</c> the name implies.</summary>
    [Id(0)] public required string Testbox { get; init; }

    /// <summary>Tags the testbox offers (<c>arch</c>, <c>os</c>, …).</summary>
    [Id(1)] public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Free memory in GiB; null: no limit.</summary>
    [Id(2)] public double? MemoryGb { get; init; }

    /// <summary>How long to wait for a job when none matches now. Keep it under the client's response timeout.</summary>
    [Id(3)] public int WaitSeconds { get; init; }

    /// <summary>The testbox's own id for this request (idempotency); null: a one-off ask, not safe to repeat.</summary>
    [Id(4)] public string? RequestId { get; init; }

    /// <summary>The machine the testbox runs on.</summary>
    [Id(5)] public string? Host { get; init; }
}
