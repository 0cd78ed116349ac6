namespace CompassCi.Grains.Dispatch;

/// <summary>
/// What a consume's claims are fenced on: a first attempt's <paramref name="Token"/> (the claim records the attempt;
/// <see cref="Attempt"/> is then 1 if it lands) or, once counted, the request's <paramref name="Counted"/> attempt (0:
/// the request cannot be retried, no fence).
/// </summary>
internal readonly record struct AttemptFence(string? Token, int Counted = 0)
{
    public int Attempt => Token is not null ? 1 : Counted;
}
