using System.Globalization;

namespace CompassCi.Api.Auth;

/// <summary>
/// Who may do what, in one place: every route's rule (<see cref="For"/>) and each rule's decision for a caller
/// (<see cref="Decide"/>). Applied only once open mode has ended. The admin token may do everything. A route not
/// listed is an operator call, so a new endpoint is closed until it is given a rule here.
/// </summary>
public static class AccessRules
{
    private static readonly RouteAccess OfJob = new(AccessRule.JobRead, JobIdSource.RouteId);
    private static readonly RouteAccess AnyCaller = new(AccessRule.AnyCaller);
    private static readonly RouteAccess Operator = new(AccessRule.Operator);
    private static readonly RouteAccess LabHost = new(AccessRule.LabHost);
    private static readonly RouteAccess LkpJobUpdate = new(AccessRule.JobUpdate, JobIdSource.QueryJobId);

    /// <summary>Every route, as <c>METHOD pattern</c> (the pattern as mapped, HEAD being served as GET).</summary>
    private static readonly Dictionary<string, RouteAccess> Routes = new(StringComparer.Ordinal)
    {
        ["GET /healthz"] = new(AccessRule.Public),
        ["GET /readyz"] = new(AccessRule.Public),
        // Counts by low-cardinality labels only (no job ids, no accounts): as public as the health probes, for scrapers.
        ["GET /metrics"] = new(AccessRule.Public),
        ["GET /openapi/{documentName}.json"] = new(AccessRule.Public),

        ["POST /api/v1/jobs"] = new(AccessRule.Submit),
        ["GET /api/v1/jobs"] = new(AccessRule.JobList),
        ["GET /api/v1/jobs/{id}"] = OfJob,
        ["GET /api/v1/jobs/{id}/events"] = OfJob,
        ["GET /api/v1/jobs/{id}/watch"] = OfJob,
        // Like the list: an account sees only its own jobs' changes (the endpoint narrows the filter).
        ["GET /api/v1/watch"] = new(AccessRule.JobList),
        ["GET /api/v1/jobs/{id}/why"] = OfJob,
        ["GET /api/v1/jobs/{id}/suspects"] = OfJob,
        ["GET /api/v1/jobs/{id}/stats"] = OfJob,
        ["POST /api/v1/jobs/{id}/cancel"] = new(AccessRule.JobCancel, JobIdSource.RouteId),
        ["GET /api/v1/jobs/{id}/secrets"] = new(AccessRule.JobSecrets, JobIdSource.RouteId),
        ["POST /api/v1/jobs/{id}/renew"] = new(AccessRule.JobRenew, JobIdSource.RouteId),
        ["POST /api/v1/jobs/{id}/stage"] = new(AccessRule.JobUpdate, JobIdSource.RouteId),
        ["POST /api/v1/jobs/{id}/finish"] = new(AccessRule.JobUpdate, JobIdSource.RouteId),

        ["POST /api/v1/clusters/{id}/nodes/{jobId}/state"] = new(AccessRule.JobUpdate, JobIdSource.RouteJobId),
        ["GET /~lkp/cgi-bin/lkp-cluster-sync"] = new(AccessRule.JobUpdate, JobIdSource.QueryJobId),
        // compass-ci's cgi calls of the testbox running a job (also under /scheduler/~lkp/cgi-bin), and lkp-renew's reads.
        ["GET /~lkp/cgi-bin/lkp-jobfile-append-var"] = LkpJobUpdate,
        ["GET /~lkp/cgi-bin/set-job-stage"] = LkpJobUpdate,
        ["GET /~lkp/cgi-bin/report-job-step"] = LkpJobUpdate,
        ["GET /~lkp/cgi-bin/report_ssh_port"] = LkpJobUpdate,
        ["GET /~lkp/cgi-bin/lkp-post-run"] = LkpJobUpdate,
        ["GET /~lkp/cgi-bin/lkp-wtmp"] = LkpJobUpdate,
        ["GET /scheduler/~lkp/cgi-bin/lkp-jobfile-append-var"] = LkpJobUpdate,
        ["GET /scheduler/~lkp/cgi-bin/set-job-stage"] = LkpJobUpdate,
        ["GET /scheduler/~lkp/cgi-bin/report-job-step"] = LkpJobUpdate,
        ["GET /scheduler/~lkp/cgi-bin/report_ssh_port"] = LkpJobUpdate,
        ["GET /scheduler/~lkp/cgi-bin/lkp-post-run"] = LkpJobUpdate,
        ["GET /scheduler/~lkp/cgi-bin/lkp-wtmp"] = LkpJobUpdate,
        ["GET /renew_deadline"] = new(AccessRule.JobRenew, JobIdSource.QueryJobId),
        ["GET /scheduler/renew_deadline"] = new(AccessRule.JobRenew, JobIdSource.QueryJobId),
        ["GET /get_deadline"] = AnyCaller,
        ["GET /scheduler/get_deadline"] = AnyCaller,
        ["GET /get_testbox"] = AnyCaller,
        ["GET /scheduler/get_testbox"] = AnyCaller,
        ["PUT /result/{**path}"] = new(AccessRule.JobUpdate, JobIdSource.CookieJobId),
        ["MKCOL /result/{**path}"] = new(AccessRule.JobUpdate, JobIdSource.CookieJobId),
        ["GET /result/{**path}"] = AnyCaller,
        // The token in the path is the authorisation (JobInitrdEndpoints checks it): the testbox has no other credential yet.
        ["GET /job_initrd_tmpfs/{id}/{token}/job.cgz"] = new(AccessRule.Public),
        ["GET /job_initrd_tmpfs/{id}/job.cgz"] = new(AccessRule.Public),

        ["POST /api/v1/testboxes/{testbox}/consume"] = new(AccessRule.Consume),
        ["POST /api/v1/testboxes/{testbox}/heartbeat"] = new(AccessRule.Heartbeat),

        // compass-ci's boot routes are consumes; its host registry calls are the lab's own.
        ["GET /boot.{kind}/{param}/{value}"] = new(AccessRule.Consume),
        ["GET /scheduler/boot.{kind}/{param}/{value}"] = new(AccessRule.Consume),
        ["GET /~lkp/cgi-bin/gpxelinux.cgi"] = new(AccessRule.Consume),
        ["GET /ws/boot.{kind}"] = new(AccessRule.Consume),
        ["PUT /set_host_mac"] = LabHost,
        ["PUT /del_host_mac"] = LabHost,
        ["PUT /set_host2queues"] = LabHost,
        ["PUT /del_host2queues"] = LabHost,
        ["PUT /scheduler/set_host_mac"] = LabHost,
        ["PUT /scheduler/del_host_mac"] = LabHost,
        ["PUT /scheduler/set_host2queues"] = LabHost,
        ["PUT /scheduler/del_host2queues"] = LabHost,
        ["PUT /register-host2redis"] = LabHost,
        ["GET /heart-beat"] = LabHost,

        ["GET /api/v1/testboxes"] = AnyCaller,
        ["GET /api/v1/hosts"] = AnyCaller,
        ["GET /api/v1/hosts/{host}"] = AnyCaller,
        ["GET /api/v1/hosts/{host}/lifecycle"] = AnyCaller,
        ["GET /api/v1/queues"] = AnyCaller,
        ["GET /api/v1/stats/crashes"] = AnyCaller,
        ["GET /api/v1/pipeline"] = AnyCaller,
        ["GET /api/v1/cluster-specs/{name}"] = AnyCaller,
        ["GET /api/v1/clusters/{id}"] = AnyCaller,
        ["GET /api/v1/clusters/{id}/watch"] = AnyCaller,

        ["POST /api/v1/hosts/{host}/wiped"] = Operator,
        ["POST /api/v1/hosts/{host}/release"] = Operator,
        ["PUT /api/v1/cluster-specs/{name}"] = Operator,
        ["POST /api/v1/pipeline/{job_id}/retry"] = Operator,
        ["POST /api/v1/accounts"] = Operator,
        ["GET /api/v1/accounts"] = Operator,
        ["GET /api/v1/accounts/{account}"] = new(AccessRule.AccountRead),
        ["PATCH /api/v1/accounts/{account}"] = Operator,
        ["POST /api/v1/accounts/{account}/token"] = Operator,
        ["GET /api/v1/accounts/{account}/usage"] = new(AccessRule.AccountRead),
        ["GET /api/v1/fairshare"] = AnyCaller,

        // compass-ci's routes. Submit and cancel carry the account in the body (my_token), checked by the endpoint.
        ["GET /"] = new(AccessRule.Public),
        ["GET /scheduler"] = new(AccessRule.Public),
        ["POST /submit_job"] = new(AccessRule.Public),
        ["POST /scheduler/submit_job"] = new(AccessRule.Public),
        ["POST /cancel_jobs"] = new(AccessRule.Public),
        ["POST /scheduler/cancel_jobs"] = new(AccessRule.Public),
    };

    /// <summary>The rule of the route <paramref name="pattern"/> for <paramref name="method"/>; operators only when it has none.</summary>
    public static RouteAccess For(string method, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var trimmed = pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
        if (!trimmed.StartsWith('/'))
        {
            trimmed = "/" + trimmed;
        }

        var key = (method == HttpMethods.Head ? HttpMethods.Get : method) + " " + trimmed;
        return Routes.TryGetValue(key, out var access) ? access : Operator;
    }

    /// <summary>Whether the route has a rule of its own (a test checks that every mapped route has).</summary>
    public static bool IsListed(string method, string pattern) =>
        Routes.ContainsKey(method + " " + (pattern.Length > 1 ? pattern.TrimEnd('/') : pattern));

    /// <summary>May <paramref name="caller"/> make a call of kind <paramref name="rule"/> on <paramref name="target"/>?</summary>
    public static AccessDecision Decide(AccessRule rule, Caller caller, AccessTarget target)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(target);
        if (rule == AccessRule.Public || caller.Kind == CallerKind.Admin)
        {
            return AccessDecision.Allow;
        }

        if (caller.Kind == CallerKind.Anonymous)
        {
            return AccessDecision.Unauthenticated("this call needs a token: send 'Authorization: Bearer <token>'");
        }

        var isOperator = caller.Kind == CallerKind.Operator;
        var isLab = caller.Kind == CallerKind.Lab;
        return rule switch
        {
            AccessRule.Submit => DecideSubmit(caller, null).Decision,
            AccessRule.AnyCaller or AccessRule.JobList => AccessDecision.Allow,
            AccessRule.JobRead => isOperator || isLab || IsOwner(caller, target) || IsOwnJob(caller, target)
                ? AccessDecision.Allow
                : NotYours(caller, target, "its owner account, an operator, a lab token or the job's own secret"),
            AccessRule.JobCancel => isOperator || IsOwner(caller, target) ? AccessDecision.Allow : NotYours(caller, target, "its owner account or an operator"),
            AccessRule.JobSecrets => isOperator || IsOwner(caller, target) || IsOwnJob(caller, target)
                ? AccessDecision.Allow
                : NotYours(caller, target, "its owner account, an operator or the job's own secret"),
            AccessRule.JobRenew => isOperator || isLab || IsOwner(caller, target) || IsOwnJob(caller, target)
                ? AccessDecision.Allow
                : NotYours(caller, target, "its owner account, an operator, a lab token or the job's own secret"),
            AccessRule.JobUpdate => isOperator || isLab || IsOwnJob(caller, target)
                ? AccessDecision.Allow
                : NotYours(caller, target, "the testbox running it: a lab token or the job's own secret"),
            AccessRule.Consume => isLab ? AccessDecision.Allow : AccessDecision.Forbidden("authorization", $"taking jobs needs a lab token; this request shows {caller}"),
            AccessRule.Heartbeat => isLab || (caller.Kind == CallerKind.Job && caller.Testbox is not null && caller.Testbox == target.Testbox)
                ? AccessDecision.Allow
                : AccessDecision.Forbidden("authorization", $"a heartbeat of testbox '{target.Testbox}' needs a lab token or the secret of a job it holds; this request shows {caller}"),
            AccessRule.LabHost => isLab || isOperator ? AccessDecision.Allow : AccessDecision.Forbidden("authorization", $"what a host registers needs a lab token; this request shows {caller}"),
            AccessRule.AccountRead => isOperator || (caller.Kind == CallerKind.Account && caller.Account == target.Account)
                ? AccessDecision.Allow
                : AccessDecision.Forbidden("account", $"account '{target.Account}' is readable by itself and operators; this request shows {caller}"),
            _ => isOperator ? AccessDecision.Allow : AccessDecision.Forbidden("authorization", $"this is an operator call: it needs an operator or the admin token; this request shows {caller}"),
        };
    }

    /// <summary>
    /// May <paramref name="caller"/> submit a job whose <c>my_account</c> is <paramref name="myAccount"/>? An account
    /// submits for itself only (an absent my_account is filled in: <c>Account</c> is the account to store); the admin for anyone.
    /// </summary>
    public static (AccessDecision Decision, string? Account) DecideSubmit(Caller caller, string? myAccount)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Kind switch
        {
            CallerKind.Admin => (AccessDecision.Allow, myAccount),
            CallerKind.Anonymous => (AccessDecision.Unauthenticated("submitting needs the account's token: 'Authorization: Bearer <token>', or my_token in the job"), null),
            CallerKind.Account when myAccount is null || myAccount == caller.Account => (AccessDecision.Allow, caller.Account),
            CallerKind.Account => (AccessDecision.Forbidden("my_account", $"is '{myAccount}', but the token is account '{caller.Account}''s; an account submits only its own jobs"), null),
            _ => (AccessDecision.Forbidden("authorization", $"submitting needs an account token; this request shows {caller}"), null),
        };
    }

    private static bool IsOwner(Caller caller, AccessTarget target) =>
        caller.Kind == CallerKind.Account && (target.JobAccount is null || target.JobAccount == caller.Account);

    private static bool IsOwnJob(Caller caller, AccessTarget target) =>
        caller.Kind == CallerKind.Job && (target.JobId is null || caller.JobId == target.JobId);

    private static AccessDecision NotYours(Caller caller, AccessTarget target, string who)
    {
        var job = target.JobId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "?";
        return AccessDecision.Forbidden("id", $"job {job} may be acted on here only by {who}; this request shows {caller}");
    }
}
