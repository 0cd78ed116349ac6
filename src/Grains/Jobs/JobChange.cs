using CompassCi.Grains.Effects;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// One change of a job, computed and not yet written: the row before and after, the events it appends to the job's
/// history, the effects it causes elsewhere, and the job that replaces it when a crash is rescheduled. All of it is
/// written in one transaction, only if the row still has <see cref="Before"/>'s version.
/// </summary>
public sealed record JobChange(JobRecord Before, JobRecord After, IReadOnlyList<JobHistoryEntry> Events, IReadOnlyList<JobEffect> Effects, JobRecord? Successor = null);
