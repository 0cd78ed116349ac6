namespace CompassCi.LoadGenerator;

/// <summary>Everything a run found, as written to --json.</summary>
public sealed record BenchReport(
    string Url,
    int Jobs,
    int Submitters,
    int Consumers,
    int Shapes,
    int JobBytes,
    DateTimeOffset StartedAt,
    IReadOnlyList<PhaseReport> Phases,
    MemoryReport Memory,
    ExactlyOnceReport ExactlyOnce,
    bool TimedOut,
    bool Passed);
