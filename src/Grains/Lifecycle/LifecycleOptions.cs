using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Lifecycle;

/// <summary>How long a testbox has to confirm a job, how often it must heartbeat, and how often overdue jobs are looked for (section <c>CompassCi:Lifecycle</c>).</summary>
public sealed class LifecycleOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Lifecycle";

    /// <summary>Seconds a consumed job stays leased to its testbox without a confirmation. Default 300.</summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>How often the sweeper looks for expired leases, overdue deadlines and undelivered effects. Default 10 s.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a testbox should heartbeat when it does not say. Default 60 s.</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 60;

    /// <summary>Heartbeats a testbox may miss before the job it holds is declared crashed. Default 3.</summary>
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>The default of <see cref="RenewCeiling"/>: 30 days, the longest machine borrow compass-ci accepts.</summary>
    public static readonly TimeSpan DefaultRenewCeiling = TimeSpan.FromDays(StageDeadlines.MaxRenewSeconds / 86_400);

    /// <summary>
    /// How far after a job was handed out (its boot time) renewals may move its deadline: a renewal past it is refused,
    /// so repeated renewals cannot hold a testbox for ever. Default 30 days (<see cref="DefaultRenewCeiling"/>).
    /// </summary>
    public TimeSpan RenewCeiling { get; set; } = DefaultRenewCeiling;

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(LeaseSeconds), LeaseSeconds, 1, 86_400, " of seconds"),
        .. OptionRules.Between(Section, nameof(SweepInterval), SweepInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
        .. OptionRules.Between(Section, nameof(HeartbeatIntervalSeconds), HeartbeatIntervalSeconds, 1, 86_400, " of seconds"),
        .. OptionRules.Between(Section, nameof(MissedHeartbeats), MissedHeartbeats, 1, 100),
        .. OptionRules.Between(Section, nameof(RenewCeiling), RenewCeiling, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650)),
    ];
}
