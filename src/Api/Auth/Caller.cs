namespace CompassCi.Api.Auth;

/// <summary>What kind of caller a request comes from, by the token it shows.</summary>
public enum CallerKind
{
    /// <summary>No token (in open mode, everyone).</summary>
    Anonymous,

    /// <summary>The admin token: everything.</summary>
    Admin,

    /// <summary>An operator token: hosts, cluster specs, pipeline retries, accounts, any job.</summary>
    Operator,

    /// <summary>A lab token: a testbox.</summary>
    Lab,

    /// <summary>An account's token: its own jobs.</summary>
    Account,

    /// <summary>A job's secret, valid while the job is held under the lease it was handed out with: that job only.</summary>
    Job,
}

/// <summary>
/// Who is calling. <see cref="Account"/> is set for an account caller; <see cref="JobId"/> and <see cref="Testbox"/>
/// (the testbox holding the job) for a job secret.
/// </summary>
public sealed record Caller(CallerKind Kind, string? Account = null, long? JobId = null, string? Testbox = null)
{
    public static readonly Caller Anonymous = new(CallerKind.Anonymous);
    public static readonly Caller Admin = new(CallerKind.Admin);
    public static readonly Caller Operator = new(CallerKind.Operator);
    public static readonly Caller Lab = new(CallerKind.Lab);

    public static Caller OfAccount(string account) => new(CallerKind.Account, Account: account);

    public static Caller OfJob(long jobId, string? testbox) => new(CallerKind.Job, JobId: jobId, Testbox: testbox);

    /// <summary>The caller the access check found for this request; anonymous when none was (open mode).</summary>
    public static Caller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(typeof(Caller), out var caller) && caller is Caller known ? known : Anonymous;
    }

    internal void AttachTo(HttpContext context) => context.Items[typeof(Caller)] = this;

    /// <summary>For messages: never the token, only its kind (and the account or job it belongs to).</summary>
    public override string ToString() => Kind switch
    {
        CallerKind.Account => $"account '{Account}'",
        CallerKind.Job => $"the secret of job {JobId}",
        CallerKind.Lab => "a lab token",
        CallerKind.Operator => "an operator token",
        CallerKind.Admin => "the admin token",
        _ => "no token",
    };
}
