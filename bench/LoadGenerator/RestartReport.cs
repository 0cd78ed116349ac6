namespace CompassCi.LoadGenerator;

/// <summary>The cold-restart item's figures, as written to --json; every time is in seconds from the restarted silo's process start.</summary>
/// <param name="Jobs">Jobs pending when the silo was killed (the preload's acknowledged jobs).</param>
/// <param name="FirstAnswerSeconds">The first HTTP answer of any kind on the port.</param>
/// <param name="FirstJobSeconds">The first consume that answered with a job.</param>
/// <param name="AllQueuesLoadedSeconds">The first GET /api/v1/queues whose pending counts summed to Jobs minus what the probes had taken.</param>
/// <param name="ProbeTaken">Jobs the probes (one testbox per shape, wait_seconds 1) took before they stopped.</param>
/// <param name="Drain">Draining the rest after the restart.</param>
/// <param name="ExactlyOnce">Over the whole: the preload's jobs against what the probes and the drain got.</param>
/// <param name="LoadGeneratorCpu">This process's CPU during the drain (no submit phase here); last, being the newest field.</param>
public sealed record RestartReport(
    string Url,
    int Jobs,
    int Shapes,
    double? FirstAnswerSeconds,
    double? FirstJobSeconds,
    double? AllQueuesLoadedSeconds,
    long? LastPendingSeen,
    int ProbeTaken,
    PhaseReport Drain,
    ExactlyOnceReport ExactlyOnce,
    bool TimedOut,
    bool Passed,
    LoadGeneratorCpuReport LoadGeneratorCpu);
