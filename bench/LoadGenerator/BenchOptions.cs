namespace CompassCi.LoadGenerator;

/// <summary>What one run of the load generator does; every field has the default the usage text names.</summary>
public sealed record BenchOptions
{
    /// <summary>Base address of the scheduler; always loopback (see <see cref="LoopbackUrl"/>) and ends in '/'.</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:3000/");

    /// <summary>Jobs to submit and then drain.</summary>
    public int Jobs { get; init; } = 100_000;

    /// <summary>Concurrent consume loops, one testbox each.</summary>
    public int Consumers { get; init; } = 64;

    /// <summary>Concurrent submit loops.</summary>
    public int Submitters { get; init; } = 16;

    /// <summary>Distinct tag shapes (queues) the jobs are spread over.</summary>
    public int Shapes { get; init; } = 8;

    /// <summary>Distinct <c>my_account</c> values the jobs are spread over (the baseline's 5; 50 to load fair-share).</summary>
    public int Accounts { get; init; } = JobDocumentWriter.DefaultAccounts;

    /// <summary>
    /// Jobs for the extraction phase after the usual run: each is taken, gets its result files uploaded and is
    /// finished, and the results pipeline's throughput is measured. 0 (the default) leaves the phase out.
    /// </summary>
    public int ExtractJobs { get; init; }

    /// <summary>The server process whose memory is read from /proc; null when not measured.</summary>
    public int? SiloPid { get; init; }

    /// <summary>Where to also write the results as JSON; null for console only.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Hard deadline for the whole run, readiness wait included.</summary>
    public int TimeoutSeconds { get; init; } = 1800;

    /// <summary>How long to wait for /readyz before giving up.</summary>
    public int ReadyTimeoutSeconds { get; init; } = 30;

    /// <summary>What to measure: the submit-and-drain run (the default), or one of the suite's other items.</summary>
    public BenchMode Mode { get; init; } = BenchMode.Run;

    /// <summary>Long-poll mode: testboxes waiting in a long poll, spread over the shapes.</summary>
    public int Testboxes { get; init; } = 200;

    /// <summary>Long-poll mode: submits per second of the trickle.</summary>
    public int TrickleRate { get; init; } = 100;

    /// <summary>Long-poll mode: jobs the trickle submits in all, after its warm-up jobs.</summary>
    public int TrickleJobs { get; init; } = 2000;

    /// <summary>
    /// Long-poll mode: jobs the trickle submits first, at the same rate, whose dispatch is left out of the measured
    /// figures (reported apart, and checked for exactly-once like the rest): the first submits after a start run code
    /// the silo has not compiled yet, a start-up cost the restart item measures, not the steady trickle.
    /// </summary>
    public int WarmupJobs { get; init; } = 200;

    /// <summary>Preload mode writes the acknowledged jobs here; restart mode reads them back.</summary>
    public string? PendingFile { get; init; }

    /// <summary>Restart mode: when the restarted silo process was started, in Unix seconds (the suite's `date +%s.%N`).</summary>
    public double? RestartedAt { get; init; }

    /// <summary>Suite-report mode: the directory of the suite's per-item JSON files.</summary>
    public string? ResultsDir { get; init; }
}
