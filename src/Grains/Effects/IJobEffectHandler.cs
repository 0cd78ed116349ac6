namespace CompassCi.Grains.Effects;

/// <summary>
/// Delivers one kind of <see cref="JobEffect"/>. Must be idempotent: an effect is delivered at least once (by its
/// writer, and again by the sweeper when the writer died or failed), and its side effect must happen once.
/// </summary>
public interface IJobEffectHandler
{
    /// <summary>The <see cref="JobEffectKinds"/> value this handler delivers.</summary>
    string Kind { get; }

    /// <summary>
    /// Whether the writer answers its caller without waiting for this effect. True for effects that call back into the
    /// job's own grain, which is busy with the write until it answers.
    /// </summary>
    bool Detached { get; }

    /// <summary>
    /// Whether the handler only hands the work over (publishes it) and the one who finishes it marks the effect done.
    /// Until then the effect stays due, and the sweeper hands it over again.
    /// </summary>
    bool DoneElsewhere => false;

    /// <summary>Does the work; throws when it could not (the effect stays due and is delivered again later).</summary>
    Task HandleAsync(OutboxEntry entry);
}
