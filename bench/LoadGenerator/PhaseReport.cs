namespace CompassCi.LoadGenerator;

/// <summary>One row of the results table, as written to --json.</summary>
public sealed record PhaseReport(
    string Phase,
    int Count,
    double Seconds,
    double RatePerSecond,
    double? P50Ms,
    double? P99Ms,
    int Errors,
    int EmptyResponses,
    int Abandoned,
    int LoopsGaveUp,
    bool TimedOut,
    IReadOnlyList<string> ErrorSamples)
{
    public static PhaseReport From(PhaseResult phase) => new(
        phase.Name,
        phase.Count,
        phase.Seconds,
        phase.RatePerSecond,
        phase.Latency.P50Ms,
        phase.Latency.P99Ms,
        phase.Errors,
        phase.Empty,
        phase.Abandoned,
        phase.LoopsGaveUp,
        phase.TimedOut,
        phase.ErrorSamples);
}
