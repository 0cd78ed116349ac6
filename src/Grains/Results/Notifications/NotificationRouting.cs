namespace CompassCi.Grains.Results.Notifications;

/// <summary>
/// Who is told about an ended job — ExecDB's "tell the blamed party": a crash goes to whom its classification blames
/// (<c>notify: task</c> the job's owner, <c>lab</c> the lab, <c>scheduler</c> or an unclassified crash the operators);
/// any other end goes to the owner.
/// </summary>
public static class NotificationRouting
{
    /// <summary>The job's owner (its <c>my_account</c>).</summary>
    public const string Owner = "owner";

    /// <summary>The lab.</summary>
    public const string Lab = "lab";

    /// <summary>The scheduler's operators.</summary>
    public const string Operators = "operators";

    /// <summary>The audience told about <paramref name="job"/>.</summary>
    public static string AudienceOf(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Crash?.Notify switch
        {
            null or CrashNotify.Task => Owner,
            CrashNotify.Lab => Lab,
            _ => Operators,
        };
    }

    /// <summary>The hook of <paramref name="audience"/> for <paramref name="job"/>; null when none is configured.</summary>
    public static string? HookOf(string audience, JobRecord job, WebhookOptions hooks)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(hooks);
        return audience switch
        {
            Owner => hooks.Accounts.GetValueOrDefault(job.Account),
            Lab => hooks.Lab,
            _ => hooks.Operators,
        } is { Length: > 0 } url ? url : null;
    }
}
