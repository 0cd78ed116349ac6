namespace CompassCi.Grains.Dispatch;

/// <summary>
/// What a consume's claims are fenced on: a first attempt's <paramref name="Token"/> (the claim records the attempt;
/// <see cref="Attempt"/> is then 1 if it lands) or, once counted, the request's <paramref name="Counted"/> attempt (0:
/// the request cannot be retried, no fence).
/// </summary>
internal readonly record struct AttemptFence(string? Token, int Counted = 0)
{
    public int Attempt => Token is not null ? 1 : Counted;

    /// <summary>
    /// A first attempt's fence: a fresh 128-bit token. It is only compared in the database, never shown or trusted as a
    /// secret, so a draw from <see cref="Random.Shared"/> serves; <see cref="Guid.NewGuid"/> reads /dev/urandom, a
    /// system call on every consume.
    /// </summary>
    public static AttemptFence First()
    {
        Span<byte> bits = stackalloc byte[16];
        Random.Shared.NextBytes(bits);
        return new AttemptFence(Convert.ToHexStringLower(bits));
    }
}
