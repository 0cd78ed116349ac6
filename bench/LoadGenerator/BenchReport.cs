namespace CompassCi.LoadGenerator;

/// <summary>Everything a run found, as written to --json. Extraction is null unless --extract-jobs was given; a preload run has no drain phase.</summary>
/// <param name="LoadGeneratorCpu">Last, being the newest: readers of older files find every earlier field where it was.</param>
public sealed record BenchReport(
    string Url,
    int Jobs,
    int Submitters,
    int Consumers,
    int Shapes,
    int Accounts,
    int JobBytes,
    DateTimeOffset StartedAt,
    IReadOnlyList<PhaseReport> Phases,
    MemoryReport Memory,
    SiloCpuReport SiloCpu,
    ExactlyOnceReport ExactlyOnce,
    ExtractionReport? Extraction,
    bool TimedOut,
    bool Passed,
    LoadGeneratorCpuReport LoadGeneratorCpu);
