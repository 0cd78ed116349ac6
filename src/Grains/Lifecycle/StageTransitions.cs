using System.Collections.ObjectModel;

namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// The one table of legal stage changes. Every writer of <c>job_stage</c> asks <see cref="Check"/> first, so a
/// stage can only move along this table whichever endpoint, sweeper or grain moves it.
/// </summary>
/// <remarks>
/// The normal path is <c>submit → boot → running → post_run → (manual_check | renew)* → finish</c>. Besides it:
/// any stage but <c>finish</c> may go straight to <c>finish</c>, because the scheduler closes jobs by health at any
/// point (timeout, crash, cancel, abnormal, return); and <c>boot → submit</c>, because a lease that expires before the
/// testbox confirms puts the job back in its queue. <c>renew → renew</c> is allowed since each renewal is a new
/// stage report. <c>finish</c> is final: a finished job is never reopened, a new attempt is a new job.
/// </remarks>
public static class StageTransitions
{
    /// <summary>
    /// For each stage, the stages it may go to, in lifecycle order. Keys are every stage of
    /// <see cref="JobStages.All"/>; <c>finish</c> maps to an empty list.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Table { get; } = BuildTable();

    /// <summary>Whether a job in <paramref name="from"/> may go to <paramref name="to"/>.</summary>
    /// <param name="from">The job's current stage, as stored.</param>
    /// <param name="to">The stage asked for.</param>
    /// <returns><see cref="TransitionCheck.Allowed"/>, or a refusal whose reason names the current stage.</returns>
    public static TransitionCheck Check(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);

        if (!Table.TryGetValue(from, out var next))
        {
            return TransitionCheck.Refused($"job is in stage '{from}', which is not a stage this scheduler knows; it cannot go to '{to}'");
        }

        if (!Table.ContainsKey(to))
        {
            return TransitionCheck.Refused(
                $"job is in stage '{from}'; '{to}' is not a stage (stages: {string.Join(", ", JobStages.All)})",
                isUnknownTarget: true);
        }

        if (next.Contains(to, StringComparer.Ordinal))
        {
            return TransitionCheck.Allowed;
        }

        var options = next.Count == 0
            ? "a finished job stays finished"
            : $"from '{from}' it can go to {Alternatives(next)}";
        return TransitionCheck.Refused($"job is in stage '{from}'; it cannot go to '{to}' ({options})");
    }

    /// <summary>
    /// What cancelling a job in <paramref name="stage"/> does: a job still in its queue (<c>submit</c>) finishes at
    /// once with health <c>cancel</c>; a job a testbox holds is marked so the testbox aborts it on its next call (the
    /// testbox may be mid-reboot, so the scheduler cannot stop it by itself); a finished job is refused.
    /// </summary>
    public static CancelDecision Cancel(string stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return stage switch
        {
            JobStages.Submit => new CancelDecision(CancelAction.FinishAsCancelled, "cancelled while waiting in its queue"),
            JobStages.Finish => new CancelDecision(CancelAction.Refuse, "job is in stage 'finish'; it has already ended and cannot be cancelled"),
            _ when JobStages.IsActive(stage) => new CancelDecision(CancelAction.MarkForAbort, $"cancel requested in stage '{stage}'; the testbox is told to abort on its next call"),
            _ => new CancelDecision(CancelAction.Refuse, $"job is in stage '{stage}', which is not a stage this scheduler knows; it cannot be cancelled"),
        };
    }

    private static ReadOnlyDictionary<string, IReadOnlyList<string>> BuildTable()
    {
        var table = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [JobStages.Submit] = [JobStages.Boot, JobStages.Finish],
            [JobStages.Boot] = [JobStages.Submit, JobStages.Running, JobStages.Finish],
            [JobStages.Running] = [JobStages.PostRun, JobStages.Finish],
            [JobStages.PostRun] = [JobStages.ManualCheck, JobStages.Renew, JobStages.Finish],
            [JobStages.ManualCheck] = [JobStages.Renew, JobStages.Finish],
            [JobStages.Renew] = [JobStages.ManualCheck, JobStages.Renew, JobStages.Finish],
            [JobStages.Finish] = [],
        };
        return new ReadOnlyDictionary<string, IReadOnlyList<string>>(table);
    }

    /// <summary><c>'a'</c>, <c>'a' or 'b'</c>, <c>'a', 'b' or 'c'</c>.</summary>
    private static string Alternatives(IReadOnlyList<string> stages)
    {
        var quoted = stages.Select(s => $"'{s}'").ToList();
        return quoted.Count == 1
            ? quoted[0]
            : $"{string.Join(", ", quoted.Take(quoted.Count - 1))} or {quoted[^1]}";
    }
}
