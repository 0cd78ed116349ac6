namespace CompassCi.Contracts.Jobs;

/// <summary>
/// One change of a job as a watcher sees it: an entry of the job's history with the job's stage and health right after
/// it. The SSE watch sends it as <c>id: {Id}</c>, <c>event: {Type}</c>, <c>data: {json}</c>; the Orleans and HTTP
/// SDKs deliver the same values.
/// </summary>
[GenerateSerializer, Immutable, Alias("CompassCi.JobEvent.v1")]
public sealed record JobEvent
{
    /// <summary>
    /// Its position in the stream it came from; hand it back (<c>Last-Event-ID</c>, or <c>after</c>) to resume right
    /// after it. In a one-job watch it is the entry's 1-based index in the job's history.
    /// </summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>One of <see cref="JobEventTypes"/>.</summary>
    [Id(1)] public required string Type { get; init; }

    /// <summary>The job's id.</summary>
    [Id(2)] public required string JobId { get; init; }

    /// <summary>The history entry's name: <c>submitted</c>, <c>leased</c>, <c>stage</c>, <c>finished</c>, <c>extracted</c>, ….</summary>
    [Id(3)] public required string Event { get; init; }

    /// <summary>The job's stage after the change (<see cref="JobStages"/>).</summary>
    [Id(4)] public required string Stage { get; init; }

    /// <summary>The job's health after the change (<see cref="JobHealth"/>); null while it has not ended.</summary>
    [Id(5)] public string? Health { get; init; }

    /// <summary>When the change was made (UTC).</summary>
    [Id(6)] public DateTimeOffset Time { get; init; }

    /// <summary>The entry's other fields as a JSON object (<c>{}</c> when it has none).</summary>
    [Id(7)] public string Detail { get; init; } = "{}";
}
