namespace CompassCi.Grains.Lifecycle;

/// <summary>One legal stage change: from where, to where, who may make it, and how it happens (for refusals).</summary>
/// <param name="From">The stage the job is in.</param>
/// <param name="To">The stage it goes to.</param>
/// <param name="By">Who may make the change.</param>
/// <param name="How">How the change happens, as a clause a refusal can quote, e.g. "when a testbox consumes it".</param>
public sealed record StageMove(string From, string To, StageMover By, string How);
