namespace CompassCi.Grains.Lifecycle;

/// <summary>
/// Decides whether a crashed job is submitted again. Kept apart from crash reporting, as ExecDB's authors chose,
/// so reporters only say what happened and this one place says what follows from it.
/// </summary>
public sealed class ReschedulePolicy
{
    private readonly int _maxAttempts;
    private readonly Dictionary<string, bool> _byCause;

    /// <summary>A policy with the defaults of <see cref="ReschedulePolicyOptions"/>.</summary>
    public ReschedulePolicy()
        : this(new ReschedulePolicyOptions())
    {
    }

    /// <summary>A policy configured by <paramref name="options"/>, checked now so a bad setting fails at startup.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><c>MaxAttempts</c> is negative.</exception>
    /// <exception cref="ArgumentException"><c>RescheduleByCause</c> names something that is not a cause (a typo would otherwise silently never match).</exception>
    public ReschedulePolicy(ReschedulePolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxAttempts, nameof(options.MaxAttempts));
        ArgumentNullException.ThrowIfNull(options.RescheduleByCause, nameof(options.RescheduleByCause));

        var unknown = options.RescheduleByCause.Keys.Where(k => !CrashCause.All.Contains(k, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"{nameof(options.RescheduleByCause)} names {string.Join(", ", unknown.Select(k => $"'{k}'"))}, which is not a cause; use {string.Join(", ", CrashCause.All)}",
                nameof(options));
        }

        _maxAttempts = options.MaxAttempts;
        _byCause = new Dictionary<string, bool>(options.RescheduleByCause, StringComparer.Ordinal);
    }

    /// <summary>The attempts a job gets when it sets no <c>max_attempts</c> of its own.</summary>
    public int MaxAttempts => _maxAttempts;

    /// <summary>Decides with the configured <see cref="MaxAttempts"/>.</summary>
    public RescheduleDecision Decide(CrashReport crash, int attempt) => Decide(crash, attempt, _maxAttempts);

    /// <summary>
    /// Whether the attempt that crashed with <paramref name="crash"/> gets a successor: only when rescheduling is
    /// on (<paramref name="maxAttempts"/> &gt; 0), the crash is not fatal, its cause is one the policy retries (not
    /// <c>task</c> by default), and attempts remain (<paramref name="attempt"/> &lt; <paramref name="maxAttempts"/>).
    /// </summary>
    /// <param name="crash">The crash classification of the attempt.</param>
    /// <param name="attempt">Which attempt crashed, counting the first run as 1.</param>
    /// <param name="maxAttempts">Attempts the job gets in all (its own <c>max_attempts</c>, else <see cref="MaxAttempts"/>); 0 turns rescheduling off.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is below 1 or <paramref name="maxAttempts"/> is negative.</exception>
    public RescheduleDecision Decide(CrashReport crash, int attempt, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(crash);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxAttempts);

        // Order matters only for the sentence: the first rule that stops the retry is the one reported.
        if (maxAttempts == 0)
        {
            return new RescheduleDecision(false, "Not rescheduled: automatic rescheduling is off for this job (max_attempts is 0).");
        }

        if (crash.Fatal)
        {
            return new RescheduleDecision(false, $"Not rescheduled: the crash (cause {crash.Cause}) is marked fatal, so another attempt would fail the same way.");
        }

        if (!RetriesCause(crash.Cause))
        {
            var why = crash.Cause == CrashCause.Task ? " because the job itself is at fault and would crash again" : string.Empty;
            return new RescheduleDecision(false, $"Not rescheduled: crashes with cause {crash.Cause} are not retried{why}.");
        }

        if (attempt >= maxAttempts)
        {
            return new RescheduleDecision(false, $"Not rescheduled: attempt {attempt} of {maxAttempts} crashed (cause {crash.Cause}) and no attempts remain.");
        }

        return new RescheduleDecision(true, $"Rescheduled as attempt {attempt + 1} of {maxAttempts}: attempt {attempt} crashed with cause {crash.Cause}, which is retried (notify {crash.Notify}).");
    }

    /// <summary>The configured rule for <paramref name="cause"/>, else the default: everything but <c>task</c> is retried.</summary>
    private bool RetriesCause(string cause) =>
        _byCause.TryGetValue(cause, out var retry) ? retry : cause != CrashCause.Task;
}
