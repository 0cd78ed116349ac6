namespace CompassCi.LoadGenerator;

/// <summary>The long-poll item's figures, as written to --json.</summary>
/// <param name="Settle">How the run knew every testbox was waiting: "metrics" (compassci_consume_waiting reached W) or "fixed 2 s".</param>
/// <param name="WaitingSeen">compassci_consume_waiting when the trickle started; null when the metric was not available.</param>
/// <param name="Submit">The trickle's submits: rate and latency of their 201s.</param>
/// <param name="WarmupJobs">Jobs the trickle submitted first, left out of <paramref name="Dispatch"/>.</param>
/// <param name="Dispatch">201 at the submitter to the job's arrival at a waiting testbox, over the jobs after the warm-up.</param>
/// <param name="DispatchWithWarmup">The same over every job, the warm-up's included.</param>
public sealed record LongPollReport(
    string Url,
    int Testboxes,
    int Shapes,
    int WaitSeconds,
    int TrickleJobs,
    int TrickleRate,
    int WarmupJobs,
    string Settle,
    double? WaitingSeen,
    PhaseReport Submit,
    DispatchSummary Dispatch,
    DispatchSummary DispatchWithWarmup,
    int ConsumeErrors,
    IReadOnlyList<string> ConsumeErrorSamples,
    ExactlyOnceReport ExactlyOnce,
    bool TimedOut,
    bool Passed);
