namespace CompassCi.Grains.Queues;

/// <summary>Every known queue key, with a version that grows whenever a key is added.</summary>
[GenerateSerializer, Immutable]
public sealed record QueueKeySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<string> Keys);
