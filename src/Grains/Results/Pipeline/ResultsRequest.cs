namespace CompassCi.Grains.Results.Pipeline;

/// <summary>The event on the <see cref="ResultsTrigger"/> stream: job <paramref name="JobId"/> ended and its results are due.</summary>
[GenerateSerializer, Immutable]
public sealed record ResultsRequest([property: Id(0)] long JobId);
