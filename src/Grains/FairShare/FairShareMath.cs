namespace CompassCi.Grains.FairShare;

/// <summary>
/// The formulas of fair-share, pure. Usage decays like HTCondor's and Slurm's: U(t) = U0 · 0.5^(Δt / half-life). An
/// account's rank is what it has used plus what it is using now, per share; the lowest rank runs first. For people, the
/// Slurm classic factor F = 2^(−usage share / share fraction): 1 for an idle account, 0.5 for one exactly at its share,
/// towards 0 above it.
/// </summary>
public static class FairShareMath
{
    /// <summary><paramref name="usage"/> recorded at <paramref name="fromMs"/>, seen at <paramref name="toMs"/>.</summary>
    public static double Decay(double usage, long fromMs, long toMs, TimeSpan halfLife) =>
        toMs <= fromMs ? usage : usage * Factor(toMs - fromMs, halfLife);

    /// <summary>What one unit of usage is worth after <paramref name="elapsedMs"/>: 0.5^(Δt / h).</summary>
    public static double Factor(long elapsedMs, TimeSpan halfLife) =>
        elapsedMs <= 0 ? 1 : Math.Pow(0.5, elapsedMs / halfLife.TotalMilliseconds);

    /// <summary>
    /// An account's place in line, lower first: (decayed usage + (held jobs + claims in flight) × the mean job's usage) /
    /// shares. Counting held jobs at the mean length charges an account for what it runs now, so a burst of claims does
    /// not all go to the account that was lowest a moment ago.
    /// </summary>
    public static double Rank(double decayedUsage, int held, int claiming, double meanJobUsage, int shares) =>
        (decayedUsage + (Math.Max(held, 0) + Math.Max(claiming, 0)) * meanJobUsage) / Math.Max(shares, 1);

    /// <summary>The Slurm classic fair-share factor 2^(−U/S): U the account's fraction of all usage, S its fraction of all shares.</summary>
    public static double Factor(double usageShare, double shareFraction) =>
        shareFraction <= 0 ? 0 : Math.Pow(2, -usageShare / shareFraction);

    /// <summary>The usage one finished job adds: its machine-seconds, times its memory in GiB (at least 1) when weighted.</summary>
    public static double JobUsage(double machineSeconds, long memoryMb, bool weightByMemory) =>
        Math.Max(machineSeconds, 0) * (weightByMemory ? Math.Max(memoryMb / 1024.0, 1) : 1);
}
