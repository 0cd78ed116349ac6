namespace CompassCi.LoadGenerator;

/// <summary>What the drain delivered compared with what the submit phase had accepted.</summary>
/// <param name="Expected">Jobs the run meant to submit (--jobs).</param>
/// <param name="Submitted">Distinct ids the server acknowledged with 201.</param>
/// <param name="SubmitDuplicates">201 replies that repeated an id already given to another submit: two jobs, one id.</param>
/// <param name="ConsumedTotal">Jobs handed out by consume, repeats included.</param>
/// <param name="ConsumedUnique">Distinct ids handed out.</param>
/// <param name="Duplicates">Hand-outs beyond the first of an id (ConsumedTotal - ConsumedUnique): exactly-once broken.</param>
/// <param name="Missing">Acknowledged ids never handed out: a lost job (or the run ended early).</param>
/// <param name="Unexpected">Ids handed out that this run never got a 201 for (a lost submit reply, or leftovers on the server).</param>
public sealed record ExactlyOnceReport(
    int Expected,
    int Submitted,
    int SubmitDuplicates,
    int ConsumedTotal,
    int ConsumedUnique,
    int Duplicates,
    int Missing,
    int Unexpected)
{
    /// <summary>Each of the N jobs was acknowledged once and delivered exactly once, and nothing else was delivered.</summary>
    public bool Passed => Duplicates == 0 && SubmitDuplicates == 0 && Missing == 0 && Unexpected == 0
        && Submitted == Expected && ConsumedUnique == Expected && ConsumedTotal == Expected;
}
