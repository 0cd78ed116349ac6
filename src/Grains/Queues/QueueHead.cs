namespace CompassCi.Grains.Queues;

/// <summary>The job a queue would hand out next to a testbox with the given memory; used to order queues.</summary>
[GenerateSerializer, Immutable]
public sealed record QueueHead(
    [property: Id(0)] int Priority,
    [property: Id(1)] long SubmitTime,
    [property: Id(2)] long JobId,
    [property: Id(3)] string Account);
