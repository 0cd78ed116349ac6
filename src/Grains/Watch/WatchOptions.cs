using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Watch;

/// <summary>How live job watches wait and poll (section <c>CompassCi:Watch</c>).</summary>
public sealed class WatchOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Watch";

    /// <summary>
    /// The longest one wait of a watch: a grain call waiting for a job's change, and the keep-alive interval of an idle
    /// stream. Kept under the Orleans response timeout (30 s). Default 15 s.
    /// </summary>
    public TimeSpan Round { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a many-job watch (and a one-job watch of an ended job, whose pipeline entries wake no grain) reads again. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How old a change must be before a many-job watch sends it: a change is stamped before its write commits, and on
    /// its silo's clock, so a change younger than this might still be overtaken by one stamped earlier. Default 2 s.
    /// </summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most events one answer of a watch holds. Default 1000.</summary>
    public int MaxEvents { get; set; } = 1000;

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(Round), Round, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(25)),
        .. OptionRules.Between(Section, nameof(PollInterval), PollInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1)),
        .. OptionRules.Between(Section, nameof(Settle), Settle, TimeSpan.Zero, TimeSpan.FromMinutes(5)),
        .. OptionRules.Between(Section, nameof(MaxEvents), MaxEvents, 1, 100_000),
    ];
}
