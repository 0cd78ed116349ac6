namespace CompassCi.Grains.Lifecycle;

/// <summary>The outcome of <see cref="ReschedulePolicy.Decide(CrashReport, int, int)"/>.</summary>
/// <param name="Reschedule">Submit the job again as a new attempt.</param>
/// <param name="Reason">Why, as a plain sentence for the job's event log.</param>
public sealed record RescheduleDecision(bool Reschedule, string Reason);
