namespace CompassCi.Grains.Lifecycle;

/// <summary>The outcome of <see cref="StageTransitions.Cancel"/>.</summary>
/// <param name="Action">What to do with the job.</param>
/// <param name="Reason">A sentence for the job's event log, or for the 409 body when <paramref name="Action"/> is <see cref="CancelAction.Refuse"/>.</param>
public sealed record CancelDecision(CancelAction Action, string Reason);
