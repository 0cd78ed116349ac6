using System.Globalization;

namespace CompassCi.LoadGenerator;

/// <summary>One of issue 17's targets: the figure must be at least (or at most, or below) a bound.</summary>
public sealed record SuiteTarget(string Relation, double Bound)
{
    public static SuiteTarget AtLeast(double bound) => new("≥", bound);

    public static SuiteTarget AtMost(double bound) => new("≤", bound);

    public static SuiteTarget Below(double bound) => new("<", bound);

    /// <summary>Whether <paramref name="value"/> meets the target; null when there is no value to judge.</summary>
    public bool? Met(double? value) => value is not { } v ? null : Relation switch
    {
        "≥" => v >= Bound,
        "≤" => v <= Bound,
        "<" => v < Bound,
        _ => throw new InvalidOperationException($"unknown relation {Relation}"),
    };

    public override string ToString() => $"{Relation} {Bound.ToString(Bound >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture)}";
}
