namespace CompassCi.LoadGenerator;

/// <summary>
/// What one submit or consume loop saw. Each loop owns its tally, so recording needs no locks;
/// the phase merges the tallies once every loop has ended.
/// </summary>
public sealed class WorkerTally
{
    /// <summary>Stopwatch ticks of each successful request (first attempt to final answer, retries included).</summary>
    public List<long> Latencies { get; } = [];

    /// <summary>Job ids acknowledged (submit) or handed out (consume), in order.</summary>
    public List<string> Ids { get; } = [];

    /// <summary>Failed attempts: 4xx/5xx other than the expected codes, connection errors, timeouts, unreadable bodies.</summary>
    public int Errors { get; set; }

    /// <summary>Consume answers of 204 (no job for the testbox right now).</summary>
    public int Empty { get; set; }

    /// <summary>Requests given up after all retries; for consume a job may be stranded on that request_id.</summary>
    public int Abandoned { get; set; }

    /// <summary>The loop ended because the hard deadline passed, not because its work was done.</summary>
    public bool TimedOut { get; set; }

    /// <summary>The loop stopped early after too many failures in a row.</summary>
    public bool GaveUp { get; set; }

    /// <summary>First few distinct error descriptions, so a failing run says why without flooding the console.</summary>
    public List<string> ErrorSamples { get; } = [];

    public void RecordError(string description)
    {
        Errors++;
        if (ErrorSamples.Count < 3 && !ErrorSamples.Contains(description))
        {
            ErrorSamples.Add(description);
        }
    }
}
