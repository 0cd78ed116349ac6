namespace CompassCi.Api.Auth;

/// <summary>The kinds of calls, each with its own answer to "who may" (<see cref="AccessRules.Decide"/>).</summary>
public enum AccessRule
{
    /// <summary>Health probes and the API description: anyone.</summary>
    Public,

    /// <summary>Submit: an account token (for its own account) or the admin token; decided by the endpoint, which reads the body.</summary>
    Submit,

    /// <summary>Lab-wide reads (queues, testboxes, hosts, stats, clusters, result files): any caller with a valid token.</summary>
    AnyCaller,

    /// <summary>The job list: any caller; an account sees only its own jobs.</summary>
    JobList,

    /// <summary>A job's reads (the job, events, why, suspects, stats): the owner account, operators, a lab token, the job's own secret.</summary>
    JobRead,

    /// <summary>Cancel: the owner account, operators.</summary>
    JobCancel,

    /// <summary>A job's secrets map: the owner account, operators, the job's own secret.</summary>
    JobSecrets,

    /// <summary>Renew: the owner account, operators, a lab token, the job's own secret.</summary>
    JobRenew,

    /// <summary>What the testbox running a job reports (stage, finish, cluster state and sync, uploads): a lab token or the job's own secret; operators.</summary>
    JobUpdate,

    /// <summary>Consume: a lab token.</summary>
    Consume,

    /// <summary>Heartbeat: a lab token, or the secret of a job the testbox holds.</summary>
    Heartbeat,

    /// <summary>What a lab's hosts and providers say of themselves (compass-ci's register-host2redis, heart-beat, set_host_mac): a lab token; operators.</summary>
    LabHost,

    /// <summary>Operator calls: host release and wipe, cluster specs, pipeline retry, account administration.</summary>
    Operator,

    /// <summary>One account's record: operators, and the account itself.</summary>
    AccountRead,
}

/// <summary>Where a job-scoped call names its job.</summary>
public enum JobIdSource
{
    /// <summary>Not a job-scoped call.</summary>
    None,

    /// <summary>The route value <c>id</c> (<c>/api/v1/jobs/{id}/…</c>).</summary>
    RouteId,

    /// <summary>The route value <c>jobId</c> (<c>/api/v1/clusters/{id}/nodes/{jobId}/state</c>).</summary>
    RouteJobId,

    /// <summary>The query's <c>job_id</c> (lkp-cluster-sync).</summary>
    QueryJobId,

    /// <summary>The <c>JOBID</c> cookie lkp-tests uploads with.</summary>
    CookieJobId,
}

/// <summary>A route's rule and, for a job-scoped one, where its job id is.</summary>
public sealed record RouteAccess(AccessRule Rule, JobIdSource JobFrom = JobIdSource.None);

/// <summary>What a call acts on: the job (its owner, when it exists), the testbox in the path, the account in the path.</summary>
public sealed record AccessTarget(long? JobId = null, string? JobAccount = null, string? Testbox = null, string? Account = null)
{
    public static readonly AccessTarget None = new();
}

/// <summary>Allowed, or refused with 401 (who are you) or 403 (not yours), naming the field at fault and why.</summary>
public sealed record AccessDecision(bool Allowed, int Status = StatusCodes.Status200OK, string Field = "", string Message = "")
{
    public static readonly AccessDecision Allow = new(true);

    public static AccessDecision Unauthenticated(string message) => new(false, StatusCodes.Status401Unauthorized, "authorization", message);

    public static AccessDecision Forbidden(string field, string message) => new(false, StatusCodes.Status403Forbidden, field, message);
}
