namespace CompassCi.LoadGenerator;

/// <summary>One phase's merged tallies and wall-clock time.</summary>
public sealed record PhaseResult(string Name, double Seconds, IReadOnlyList<WorkerTally> Tallies)
{
    /// <summary>Successful requests: jobs acknowledged (submit) or handed out (drain).</summary>
    public int Count => Tallies.Sum(t => t.Ids.Count);

    public int Errors => Tallies.Sum(t => t.Errors);

    public int Empty => Tallies.Sum(t => t.Empty);

    public int Abandoned => Tallies.Sum(t => t.Abandoned);

    public bool TimedOut => Tallies.Any(t => t.TimedOut);

    public int LoopsGaveUp => Tallies.Count(t => t.GaveUp);

    public double RatePerSecond => Seconds > 0 ? Count / Seconds : 0;

    public IEnumerable<string> Ids => Tallies.SelectMany(t => t.Ids);

    public IReadOnlyList<string> ErrorSamples => Tallies.SelectMany(t => t.ErrorSamples).Distinct().Take(5).ToArray();

    private LatencySummary? _latency;

    /// <summary>Sorted once on first use: the sample can be 100k long.</summary>
    public LatencySummary Latency => _latency ??= LatencySummary.From(Tallies.SelectMany(t => t.Latencies));
}
