using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Queues;

/// <summary>How queues keep their cache in step with the <c>jobs</c> table (section <c>CompassCi:Queues</c>).</summary>
public sealed class QueueGrainOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Queues";

    /// <summary>
    /// How often a queue re-reads recently submitted pending jobs, to pick up a job whose enqueue was lost
    /// (its silo died between storing it and enqueuing it). Default 30 s.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back a reconcile looks. Default 10 minutes.</summary>
    public TimeSpan ReconcileWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(ReconcileInterval), ReconcileInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
        .. OptionRules.Between(Section, nameof(ReconcileWindow), ReconcileWindow, ReconcileInterval, TimeSpan.FromDays(7)),
    ];
}
