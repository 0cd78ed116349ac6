namespace CompassCi.Samples.CiBot;

/// <summary>One run of the bot: which jobs to submit (one per value of <see cref="Parameter"/>) and under which run id.</summary>
public sealed record BotRun(string RunId, string Account, string Suite, string TboxGroup, string Parameter, IReadOnlyList<string> Values);
