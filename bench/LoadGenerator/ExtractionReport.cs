namespace CompassCi.LoadGenerator;

/// <summary>What the extraction phase (--extract-jobs) found, as written to --json.</summary>
/// <param name="Jobs">Jobs the phase meant to run (--extract-jobs).</param>
/// <param name="FilesPerJob">Result files each job uploads.</param>
/// <param name="FileBytes">Average size of one result file.</param>
/// <param name="StatsPerJob">Stat keys each job's extraction must produce.</param>
/// <param name="Phases">x-submit, x-take, x-locate, x-upload, x-finish, extract, x-stats: see bench/README.md.</param>
/// <param name="ExactlyOnce">The phase's own jobs, submitted and taken, checked as the main run's are.</param>
/// <param name="UploadRequestsPerSecond">Successful PUTs per second over the upload step.</param>
/// <param name="ExtractJobsPerSecond">Jobs whose pipeline ended per second, from the first finish to the last end seen.</param>
/// <param name="FinishToEndP50Ms">Median time from a job's finish (its 200) to the listing that no longer named it as pending.</param>
/// <param name="FinishToEndP99Ms">The same, 99th percentile.</param>
/// <param name="PollIntervalMs">The pause between two pending listings: with a listing's own time, the resolution of the end times.</param>
/// <param name="Finished">Jobs whose finish was answered 200.</param>
/// <param name="PipelinesEnded">Finished jobs seen leaving the pending list.</param>
/// <param name="ReadinessComplete">Jobs whose stats answer says job_data_readiness complete.</param>
/// <param name="StatsAsExpected">Jobs whose stats hold exactly the expected keys, each once.</param>
/// <param name="FailedPipelines">Jobs of this phase that GET /api/v1/pipeline?state=failed lists.</param>
/// <param name="CheckSamples">The first few problems the check found, to say why it failed.</param>
public sealed record ExtractionReport(
    int Jobs,
    int FilesPerJob,
    int FileBytes,
    int StatsPerJob,
    IReadOnlyList<PhaseReport> Phases,
    ExactlyOnceReport ExactlyOnce,
    double UploadRequestsPerSecond,
    double ExtractJobsPerSecond,
    double? FinishToEndP50Ms,
    double? FinishToEndP99Ms,
    double PollIntervalMs,
    int Finished,
    int PipelinesEnded,
    int ReadinessComplete,
    int StatsAsExpected,
    int FailedPipelines,
    IReadOnlyList<string> CheckSamples,
    bool TimedOut)
{
    /// <summary>Every job taken once, uploaded, finished, its pipeline ended (not failed), complete, with exactly the expected stats.</summary>
    public bool Passed => ExactlyOnce.Passed && !TimedOut && Finished == Jobs && PipelinesEnded == Jobs
        && ReadinessComplete == Jobs && StatsAsExpected == Jobs && FailedPipelines == 0;
}
