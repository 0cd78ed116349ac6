using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.FairShare;

/// <summary>
/// Decayed fair-share between accounts (section <c>CompassCi:FairShare</c>): within a priority class the account furthest
/// below its share of machine time runs first. The formulas are in <see cref="FairShareMath"/>.
/// </summary>
public sealed class FairShareOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:FairShare";

    /// <summary>
    /// Order jobs by fair-share. Default true. When false, queues hand out jobs as before (priority, submit time, id);
    /// usage is still recorded and running caps still hold.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time after which past usage counts half. Default 24 h (Slurm's default is 7 days; a lab's day is shorter).</summary>
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Usage is machine-seconds (false) or machine-seconds × the memory the job asked for in GiB, at least 1 GiB (true).
    /// Default false.
    /// </summary>
    public bool WeightByMemory { get; set; }

    /// <summary>How soon a silo sends its usage changes to the fair-share grain once it has some. Default 100 ms.</summary>
    public TimeSpan ExchangeInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a silo asks for the merged picture when it has nothing to send. Default 1 s.</summary>
    public TimeSpan IdleExchangeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the fair-share grain writes usage to <c>account_usage</c> (and on deactivation). Default 5 s.</summary>
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the fair-share grain counts held jobs in the <c>jobs</c> table, to undo drift. Default 30 s.</summary>
    public TimeSpan RecountInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often it counts queued (pending) jobs in the table, for quotas. Default 10 minutes: that count reads every
    /// pending row (no index serves it; one would cost every insert and stage change), and at 100,000 pending a count
    /// every 30 s cost a sixth of submit and consume throughput. Drift only comes from a silo that died within ~100 ms
    /// of changes, so it is rare and small.
    /// </summary>
    public TimeSpan QueuedRecountInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The length a held job is assumed to have until some job has finished (the mean of finished jobs replaces it).
    /// Default 1 h. Only the ratio between accounts matters, so its exact value rarely does.
    /// </summary>
    public TimeSpan AssumedJobLength { get; set; } = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(HalfLife), HalfLife, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365)),
        .. OptionRules.Between(Section, nameof(ExchangeInterval), ExchangeInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10)),
        .. OptionRules.Between(Section, nameof(IdleExchangeInterval), IdleExchangeInterval, ExchangeInterval, TimeSpan.FromMinutes(1)),
        .. OptionRules.Between(Section, nameof(PersistInterval), PersistInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
        .. OptionRules.Between(Section, nameof(RecountInterval), RecountInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
        .. OptionRules.Between(Section, nameof(QueuedRecountInterval), QueuedRecountInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
        .. OptionRules.Between(Section, nameof(AssumedJobLength), AssumedJobLength, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30)),
    ];
}
