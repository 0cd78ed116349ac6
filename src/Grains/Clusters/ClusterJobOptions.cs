using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Clusters;

/// <summary>Multi-node cluster settings (section <c>CompassCi:Clusters</c>).</summary>
public sealed class ClusterJobOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Clusters";

    /// <summary>How long a cluster's nodes have, from submit, to all reach start; then it aborts and frees its testboxes. Default 1 h.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest an lkp-cluster-sync wait is held before it is answered <c>retry</c>. The lkp client asks again up
    /// to 100 times, so 300 s keeps compass-ci's 8 h bound without 8-hour requests. Default 300 s.
    /// </summary>
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromSeconds(300);

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(StartTimeout), StartTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
        .. OptionRules.Between(Section, nameof(MaxHold), MaxHold, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
    ];
}
