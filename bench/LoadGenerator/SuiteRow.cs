namespace CompassCi.LoadGenerator;

/// <summary>How a figure of the suite's table is written.</summary>
public enum FigureKind
{
    /// <summary>Per second, no decimals.</summary>
    Rate,

    /// <summary>Milliseconds, two decimals.</summary>
    Milliseconds,

    /// <summary>Seconds, two decimals.</summary>
    Seconds,

    /// <summary>Bytes shown as MiB.</summary>
    Mebibytes,

    /// <summary>Bytes, no decimals.</summary>
    Bytes,

    /// <summary>A plain ratio, two decimals.</summary>
    Ratio,

    /// <summary>1 for PASS, 0 for FAIL.</summary>
    PassFail,
}

/// <summary>One row of the suite's table: a figure for the code before and after, and the target it has, if any.</summary>
/// <param name="Key">Stable snake_case name for the JSON, e.g. consume_p99_ms_at_100000.</param>
/// <param name="Figure">What the table calls it.</param>
/// <param name="Target">Issue 17's target for the figure, judged on <paramref name="After"/>; null when it has none.</param>
public sealed record SuiteRow(string Key, string Figure, FigureKind Kind, double? Before, double? After, SuiteTarget? Target)
{
    /// <summary>After / before: below 1 is less (faster for latencies, slower for rates); null without both.</summary>
    public double? Ratio => Before is { } b && After is { } a && b != 0 && Kind != FigureKind.PassFail ? a / b : null;

    public bool? TargetMet => Kind == FigureKind.PassFail ? After is { } a ? a == 1 : null : Target?.Met(After);
}
