using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Results.Regression;

/// <summary>The regression plugin (section <c>CompassCi:Regression</c>).</summary>
public sealed class RegressionOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Regression";

    /// <summary>How many earlier runs of the same test an errid must be absent from to be new. Default 10.</summary>
    public int EarlierRuns { get; set; } = 10;

    /// <inheritdoc/>
    public IEnumerable<string> Check() => OptionRules.Between(Section, nameof(EarlierRuns), EarlierRuns, 1, 1000);
}
