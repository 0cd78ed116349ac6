namespace CompassCi.LoadGenerator;

/// <summary>The items of bench/suite.sh; each is one run of the load generator against a fresh silo (see bench/README.md).</summary>
public enum BenchMode
{
    /// <summary>Submit N, drain, check exactly-once, memory and CPU figures: one depth of the suite.</summary>
    Run,

    /// <summary>W testboxes wait in long polls while a trickle submits; dispatch latency per job.</summary>
    LongPoll,

    /// <summary>Submit N and stop, writing the acknowledged jobs to --pending-file (the silo is then killed).</summary>
    Preload,

    /// <summary>Against a silo just restarted on the preloaded data: first consume, all queues loaded, then drain and check.</summary>
    Restart,

    /// <summary>No server: read the suite's JSON files from --results-dir, print the table, write the combined JSON.</summary>
    SuiteReport,
}
