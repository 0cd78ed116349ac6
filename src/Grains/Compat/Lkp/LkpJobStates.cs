namespace CompassCi.Grains.Compat.Lkp;

/// <summary>
/// The one table of what an lkp testbox's <c>job_state</c> (<c>lkp-jobfile-append-var?job_state=…</c>) does to its job,
/// mapped onto the native lifecycle:
/// <list type="bullet">
/// <item>a stage the holder may enter (<c>running</c>, <c>post_run</c>, <c>manual_check</c>, <c>renew</c>) moves the job
/// there through the stage table (boot → running is the confirm);</item>
/// <item>a finish word (<c>finished</c> → success, <c>OOM</c> → oom, <c>failed</c>, <c>incomplete</c>, <c>soft_timeout</c>,
/// <c>disturbed</c>, the boot failures, <c>miss_&lt;fs&gt;</c>, … as <see cref="JobHealth.FromJobState"/> gives them)
/// notes that health on the job, which stays in its stage: compass-ci ends a job at <c>lkp-post-run</c>, and so do we;</item>
/// <item>a progress word of the kexec path (<c>booting</c>, <c>wget_kernel</c>, <c>wget_initrd</c>) is only recorded as the
/// job's last <c>job_state</c> (compass-ci stores these as the job's health by accident; we do not);</item>
/// <item>anything else, including the words only the scheduler sets (<c>submit</c>, <c>boot</c>, <c>finish</c>,
/// <c>complete</c>), is a client mistake: 400 naming <c>job_state</c>.</item>
/// </list>
/// </summary>
public static class LkpJobStates
{
    /// <summary>The stages a testbox reports by name; the others are the scheduler's (submit, boot) or reached by lkp-post-run (finish).</summary>
    public static readonly IReadOnlyList<string> Stages = [JobStages.Running, JobStages.PostRun, JobStages.ManualCheck, JobStages.Renew];

    /// <summary>The progress words of lkp's kexec path, reported before the job runs.</summary>
    public static readonly IReadOnlyList<string> ProgressWords = ["booting", "wget_kernel", "wget_initrd"];

    /// <summary>What <paramref name="word"/> means; <see cref="LkpJobStateKind.Unknown"/> for a word lkp does not send (matched exactly).</summary>
    public static LkpJobState Classify(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (Stages.Contains(word, StringComparer.Ordinal))
        {
            return new LkpJobState(word, LkpJobStateKind.Stage, Stage: word);
        }

        if (JobHealth.FromJobState(word) is { } health)
        {
            return new LkpJobState(word, LkpJobStateKind.Outcome, Health: health);
        }

        return ProgressWords.Contains(word, StringComparer.Ordinal)
            ? new LkpJobState(word, LkpJobStateKind.Progress)
            : new LkpJobState(word, LkpJobStateKind.Unknown);
    }

    /// <summary>
    /// The health an <c>lkp-post-run</c> ends the job with: its <c>job_health</c> when given, else the outcome its
    /// <c>job_state</c> names, else the health noted from the testbox's last finish word, else success (a testbox that
    /// closes its job without a word ran it to its end, as compass-ci assumes).
    /// </summary>
    public static string HealthAtPostRun(string? jobHealth, string? jobState, string? noted) =>
        jobHealth ?? (jobState is { } state ? JobHealth.FromJobState(state) : null) ?? noted ?? JobHealth.Success;

    /// <summary>A one-line description of the accepted words, for a 400.</summary>
    public static string Expected =>
        $"must be a stage ({string.Join(", ", Stages)}), a finish word (finished, failed, incomplete, OOM, soft_timeout, disturbed, kexec_fail, miss_<fs>, …) or a progress word ({string.Join(", ", ProgressWords)})";
}
