namespace CompassCi.LoadGenerator;

/// <summary>The tags a testbox offers in a consume request.</summary>
public sealed record ConsumeTags(string TboxGroup, string Arch);
