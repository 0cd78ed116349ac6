namespace CompassCi.Grains.Accounts;

/// <summary>Who an account token belongs to, as the token grain caches it.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountIdentity([property: Id(0)] string Account, [property: Id(1)] bool Disabled);
