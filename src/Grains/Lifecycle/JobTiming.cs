namespace CompassCi.Grains.Lifecycle;

/// <summary>What a job says about its own length, which sets how long it may stay in <c>running</c>.</summary>
/// <param name="TimeoutSeconds">The job's <c>timeout</c> field in seconds (see <see cref="StageDeadlines.TryParseDuration"/>); null when absent. 0 or less counts as absent.</param>
/// <param name="RuntimeSeconds">The job's <c>runtime</c> field in seconds; null when absent. 0 or less counts as absent.</param>
/// <param name="IsPhysical">The testbox is a physical machine (<c>tbox_type</c> <c>hw</c>) rather than a vm or container, so it needs longer to reboot after the job.</param>
public sealed record JobTiming(int? TimeoutSeconds, int? RuntimeSeconds, bool IsPhysical);
