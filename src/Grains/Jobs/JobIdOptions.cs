using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Jobs;

/// <summary>How long a silo's lease on its job id node number lasts (section <c>CompassCi:JobIds</c>).</summary>
public sealed class JobIdOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:JobIds";

    /// <summary>
    /// How long a node number stays a silo's without a renewal (renewed every quarter of it). A silo that cannot renew
    /// in time stops drawing ids until it holds a node again. Default 60 s.
    /// </summary>
    public TimeSpan NodeLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public IEnumerable<string> Check() => OptionRules.Between(Section, nameof(NodeLease), NodeLease, TimeSpan.FromSeconds(2), TimeSpan.FromHours(1));
}
