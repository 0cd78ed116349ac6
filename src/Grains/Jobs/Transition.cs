namespace CompassCi.Grains.Jobs;

/// <summary>
/// What a command does to a job (see <see cref="Lifecycle.JobTransitions"/>): a change to write, the job as it is
/// (the command was already done, say a repeated assignment of the same lease), or a refusal naming why.
/// </summary>
public sealed record Transition
{
    private Transition(JobChange? change, JobRecord? unchanged, string? refusal, string? refusedField = null)
    {
        Change = change;
        Unchanged = unchanged;
        Refusal = refusal;
        RefusedField = refusedField;
    }

    /// <summary>The change to write; null for a refusal or an unchanged job.</summary>
    public JobChange? Change { get; }

    /// <summary>The job, when the command needs no write (it was done already).</summary>
    public JobRecord? Unchanged { get; }

    /// <summary>Why the command cannot be done now; for the 409 body, so it names the job's current stage.</summary>
    public string? Refusal { get; }

    /// <summary>The request field a refusal is about (say <c>seconds</c> of a renew); null when it is about the job's stage.</summary>
    public string? RefusedField { get; }

    public static Transition Write(JobChange change) => new(change, null, null);

    public static Transition Keep(JobRecord job) => new(null, job, null);

    public static Transition Refuse(string reason, string? field = null) => new(null, null, reason, field);
}
