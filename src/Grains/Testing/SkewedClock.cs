namespace CompassCi.Grains.Testing;

/// <summary>
/// The system clock moved by a fixed offset (<see cref="FailPointOptions.ClockOffset"/>): a silo whose clock is wrong,
/// for tests that prove nothing judges one silo's time by another's.
/// </summary>
public sealed class SkewedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
