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
/// testbox confirms, or a testbox that gives its job back, puts the job back in its queue. <c>renew → renew</c> is
/// allowed since each renewal is a new stage report. <c>finish</c> is final: a finished job is never reopened, a new
/// attempt is a new job.
/// <para>
/// Every move names who may make it (<see cref="Moves"/>): only the scheduler moves <c>submit → boot</c> (it hands a
/// pending job to a testbox that consumes it), only a cancel or a cluster's abort ends a job no testbox ever held, and
/// everything a testbox reports is a move of the holder's. The endpoints ask <see cref="Check(string, string, StageMover)"/>
/// as <see cref="StageMover.Holder"/>.
/// </para>
/// </remarks>
public static class StageTransitions
{
    private const string ClosedByScheduler = "when its testbox finishes it (POST /api/v1/jobs/{id}/finish), or the scheduler closes it (deadline, lost heartbeat, cancel, cluster abort)";

    /// <summary>Every legal stage change with who may make it, in lifecycle order.</summary>
    public static IReadOnlyList<StageMove> Moves { get; } =
    [
        new(JobStages.Submit, JobStages.Boot, StageMover.Scheduler, "when it hands the job to a testbox that consumes it (POST /api/v1/testboxes/{testbox}/consume)"),
        new(JobStages.Submit, JobStages.Finish, StageMover.Scheduler | StageMover.Operator, "when it is cancelled (POST /api/v1/jobs/{id}/cancel) or its cluster aborts; no testbox holds it, so none can finish it"),
        new(JobStages.Boot, JobStages.Submit, StageMover.Scheduler | StageMover.Holder, "when its lease ends unconfirmed, or its testbox gives it back; either way it goes back to its queue at once"),
        new(JobStages.Boot, JobStages.Running, StageMover.Holder, "when its testbox confirms it"),
        new(JobStages.Boot, JobStages.Finish, StageMover.Holder | StageMover.Scheduler, ClosedByScheduler),
        new(JobStages.Running, JobStages.PostRun, StageMover.Holder, "when its testbox has run the test"),
        new(JobStages.Running, JobStages.Finish, StageMover.Holder | StageMover.Scheduler, ClosedByScheduler),
        new(JobStages.PostRun, JobStages.ManualCheck, StageMover.Holder, "when its testbox is held for a person to look at"),
        new(JobStages.PostRun, JobStages.Renew, StageMover.Holder, "when its testbox reports a renewal"),
        new(JobStages.PostRun, JobStages.Finish, StageMover.Holder | StageMover.Scheduler, ClosedByScheduler),
        new(JobStages.ManualCheck, JobStages.Renew, StageMover.Holder, "when its testbox reports a renewal"),
        new(JobStages.ManualCheck, JobStages.Finish, StageMover.Holder | StageMover.Scheduler, ClosedByScheduler),
        new(JobStages.Renew, JobStages.ManualCheck, StageMover.Holder, "when its testbox is held for a person to look at"),
        new(JobStages.Renew, JobStages.Renew, StageMover.Holder, "when its testbox reports another renewal"),
        new(JobStages.Renew, JobStages.Finish, StageMover.Holder | StageMover.Scheduler, ClosedByScheduler),
    ];

    /// <summary>
    /// For each stage, the stages it may go to (by anyone), in lifecycle order. Keys are every stage of
    /// <see cref="JobStages.All"/>; <c>finish</c> maps to an empty list.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Table { get; } = BuildTable();

    /// <summary>
    /// Whether a job in <paramref name="from"/> may go to <paramref name="to"/> at all, whoever asks. A writer acting for
    /// a client asks <see cref="Check(string, string, StageMover)"/> instead, which also checks the move is theirs.
    /// </summary>
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
    /// Whether <paramref name="mover"/> may move a job in <paramref name="from"/> to <paramref name="to"/>: the move must
    /// be legal (<see cref="Check(string, string)"/>) and be one <paramref name="mover"/> may make.
    /// </summary>
    /// <returns>
    /// <see cref="TransitionCheck.Allowed"/>, or a refusal naming the current stage and, for a move that is someone
    /// else's, who makes it and how, e.g. <c>job is in stage 'submit'; only the scheduler moves it to 'boot', when it
    /// hands the job to a testbox that consumes it (…)</c>.
    /// </returns>
    public static TransitionCheck Check(string from, string to, StageMover mover)
    {
        var legal = Check(from, to);
        if (legal.IsUnknownTarget || !Table.ContainsKey(from))
        {
            return legal;
        }

        if (Moves.FirstOrDefault(m => m.From == from && m.To == to) is { } move)
        {
            return (move.By & mover) != 0
                ? TransitionCheck.Allowed
                : TransitionCheck.Refused($"job is in stage '{from}'; only {Names(move.By)} moves it to '{to}', {move.How}");
        }

        var own = Moves.Where(m => m.From == from && (m.By & mover) != 0).Select(m => m.To).ToList();
        var others = Moves.Where(m => m.From == from && (m.By & mover) == 0).ToList();
        var options = own.Count > 0 ? $"from '{from}' it can go to {Alternatives(own)}"
            : others.Count > 0 ? $"from '{from}' only {Names(others.Aggregate(StageMover.None, (by, m) => by | m.By))} moves it on: {string.Join("; ", others.Select(m => $"to '{m.To}' {m.How}"))}"
            : "a finished job stays finished";
        return TransitionCheck.Refused($"job is in stage '{from}'; it cannot go to '{to}' ({options})");
    }

    /// <summary>
    /// Whether <paramref name="mover"/> may ever move a job into <paramref name="to"/>, whatever stage it is in; a stage
    /// no move of theirs enters is a malformed request rather than a conflict with the job's state.
    /// </summary>
    /// <returns><see cref="TransitionCheck.Allowed"/>, or a refusal saying who enters the stage and how.</returns>
    public static TransitionCheck Entering(string to, StageMover mover)
    {
        ArgumentNullException.ThrowIfNull(to);
        var into = Moves.Where(m => m.To == to).ToList();
        if (into.Count == 0)
        {
            return TransitionCheck.Refused($"'{to}' is not a stage (stages: {string.Join(", ", JobStages.All)})", isUnknownTarget: true);
        }

        return into.Any(m => (m.By & mover) != 0)
            ? TransitionCheck.Allowed
            : TransitionCheck.Refused($"only {Names(into.Aggregate(StageMover.None, (by, m) => by | m.By))} moves a job to '{to}', {into[0].How}", isUnknownTarget: true);
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

    private static ReadOnlyDictionary<string, IReadOnlyList<string>> BuildTable() =>
        new(JobStages.All.ToDictionary(
            from => from,
            from => (IReadOnlyList<string>)[.. Moves.Where(m => m.From == from).Select(m => m.To)],
            StringComparer.Ordinal));

    /// <summary>"the scheduler", "the scheduler or the testbox holding it", … for a refusal.</summary>
    private static string Names(StageMover by)
    {
        List<string> names = [];
        if (by.HasFlag(StageMover.Scheduler))
        {
            names.Add("the scheduler");
        }

        if (by.HasFlag(StageMover.Holder))
        {
            names.Add("the testbox holding it");
        }

        if (by.HasFlag(StageMover.Operator))
        {
            names.Add("a cancel by its owner or an operator");
        }

        return names.Count == 0 ? "no one" : string.Join(" or ", names);
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
