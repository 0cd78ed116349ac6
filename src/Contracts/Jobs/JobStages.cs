namespace CompassCi.Contracts.Jobs;

/// <summary>
/// Job stages as compass-ci names them on the wire and in the <c>jobs.job_stage</c> column.
/// Strings rather than an enum so the column, the JSON and the lkp-tests client all read the same word.
/// </summary>
public static class JobStages
{
    /// <summary>Stored and waiting in a queue.</summary>
    public const string Submit = "submit";

    /// <summary>Handed to a testbox that has not confirmed yet.</summary>
    public const string Boot = "boot";

    /// <summary>The testbox runs the job.</summary>
    public const string Running = "running";

    /// <summary>The test is done; results are being uploaded.</summary>
    public const string PostRun = "post_run";

    /// <summary>Held for a person to look at the testbox.</summary>
    public const string ManualCheck = "manual_check";

    /// <summary>The holder extended its deadline.</summary>
    public const string Renew = "renew";

    /// <summary>Ended; <c>job_health</c> says how.</summary>
    public const string Finish = "finish";

    /// <summary>Every stage, in lifecycle order.</summary>
    public static readonly IReadOnlyList<string> All = [Submit, Boot, Running, PostRun, ManualCheck, Renew, Finish];

    /// <summary>The stages in which a testbox holds the job: every stage but <c>submit</c> and <c>finish</c>.</summary>
    public static readonly IReadOnlyList<string> Active = [Boot, Running, PostRun, ManualCheck, Renew];

    /// <summary>The active stages the testbox has confirmed (all but <c>boot</c>): it must keep heartbeating in them.</summary>
    public static readonly IReadOnlyList<string> Confirmed = [Running, PostRun, ManualCheck, Renew];

    /// <summary>Whether a testbox holds a job in <paramref name="stage"/>; see <see cref="Active"/>.</summary>
    public static bool IsActive(string stage) => Active.Contains(stage, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="stage"/> is <c>finish</c>: no change leads out of it.</summary>
    public static bool IsFinal(string stage) => stage == Finish;
}
