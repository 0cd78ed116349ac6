using System.Diagnostics.CodeAnalysis;

namespace CompassCi.Grains.Lifecycle;

/// <summary>The answer of <see cref="StageTransitions.Check"/>: the stage change is allowed, or why not.</summary>
public sealed record TransitionCheck
{
    /// <summary>The one allowed answer; allowed changes carry nothing else.</summary>
    public static readonly TransitionCheck Allowed = new(true, null, false);

    private TransitionCheck(bool isAllowed, string? reason, bool isUnknownTarget)
    {
        IsAllowed = isAllowed;
        Reason = reason;
        IsUnknownTarget = isUnknownTarget;
    }

    /// <summary>Whether the job may go to the requested stage.</summary>
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsAllowed { get; }

    /// <summary>
    /// Why the change is refused, naming the current stage (for the 409 body), e.g.
    /// <c>job is in stage 'running'; it cannot go to 'boot' (from 'running' it can go to 'post_run' or 'finish')</c>.
    /// Null when allowed.
    /// </summary>
    public string? Reason { get; }

    /// <summary>
    /// The requested stage is no stage at all. That is a malformed request (400) rather than a conflict with the
    /// job's state (409), so the caller can answer differently.
    /// </summary>
    public bool IsUnknownTarget { get; }

    /// <summary>A refusal with <paramref name="reason"/>.</summary>
    internal static TransitionCheck Refused(string reason, bool isUnknownTarget = false) => new(false, reason, isUnknownTarget);
}
