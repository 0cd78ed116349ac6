namespace CompassCi.Grains.Hosts;

/// <summary>
/// One reason a pending job does not run, from <see cref="WaitExplainer"/>: a stable code for programs and a
/// plain sentence with the numbers behind it for people, so "why is my job still waiting?" has an answer
/// without reading scheduler logs.
/// </summary>
/// <param name="Code">One of the constants below.</param>
/// <param name="Message">The reason in plain words, with counts, tags and sizes.</param>
public sealed record WaitReason(string Code, string Message)
{
    /// <summary>No testbox seen in the last 24 h offers every tag the job requires.</summary>
    public const string NoMatchingTestbox = "no_matching_testbox";

    /// <summary>Testboxes offer the tags, but none has the memory the job needs.</summary>
    public const string Memory = "memory";

    /// <summary>Every matching testbox is out of service, some of them quarantined.</summary>
    public const string Quarantined = "quarantined";

    /// <summary>Every matching testbox is out of service, some of them offline.</summary>
    public const string Offline = "offline";

    /// <summary>Matching testboxes exist, but none is free to take a job.</summary>
    public const string AllBusy = "all_busy";

    /// <summary>The job's account holds as many jobs as its running cap allows; its jobs wait until one ends.</summary>
    public const string RunningCap = "running_cap";

    /// <summary>Other jobs are ahead of this one in its queue.</summary>
    public const string JobsAhead = "jobs_ahead";

    /// <summary>Nothing stands in the way: a matching testbox is free and nothing is ahead.</summary>
    public const string ShouldRunSoon = "should_run_soon";

    /// <summary>Every code, in the order <see cref="WaitExplainer.Explain"/> gives reasons.</summary>
    public static readonly IReadOnlyList<string> AllCodes =
        [NoMatchingTestbox, Memory, Quarantined, Offline, AllBusy, RunningCap, JobsAhead, ShouldRunSoon];
}
