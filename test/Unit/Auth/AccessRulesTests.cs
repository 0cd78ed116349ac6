using CompassCi.Api.Auth;
using Microsoft.AspNetCore.Http;

namespace CompassCi.Tests.Unit.Auth;

public class AccessRulesTests
{
    private static readonly AccessTarget TeamAJob = new(JobId: 7, JobAccount: "team-a", Testbox: "vm-1");

    private static readonly Dictionary<string, Caller> Callers = new()
    {
        ["anonymous"] = Caller.Anonymous,
        ["admin"] = Caller.Admin,
        ["operator"] = Caller.Operator,
        ["lab"] = Caller.Lab,
        ["owner"] = Caller.OfAccount("team-a"),
        ["other-account"] = Caller.OfAccount("team-b"),
        ["own-job"] = Caller.OfJob(7, "vm-1"),
        ["other-job"] = Caller.OfJob(8, "vm-2"),
    };

    /// <summary>The rules table as the design document states it: for each kind of call, each caller's answer.</summary>
    public static TheoryData<AccessRule, string, int> Table() => new()
    {
        { AccessRule.Public, "anonymous", 200 },
        { AccessRule.AnyCaller, "anonymous", 401 },
        { AccessRule.AnyCaller, "lab", 200 },
        { AccessRule.AnyCaller, "other-job", 200 },
        { AccessRule.JobRead, "owner", 200 },
        { AccessRule.JobRead, "operator", 200 },
        { AccessRule.JobRead, "lab", 200 },
        { AccessRule.JobRead, "own-job", 200 },
        { AccessRule.JobRead, "other-job", 403 },
        { AccessRule.JobRead, "other-account", 403 },
        { AccessRule.JobRead, "anonymous", 401 },
        { AccessRule.JobCancel, "owner", 200 },
        { AccessRule.JobCancel, "operator", 200 },
        { AccessRule.JobCancel, "admin", 200 },
        { AccessRule.JobCancel, "other-account", 403 },
        { AccessRule.JobCancel, "lab", 403 },
        { AccessRule.JobCancel, "own-job", 403 },
        { AccessRule.JobCancel, "anonymous", 401 },
        { AccessRule.JobSecrets, "owner", 200 },
        { AccessRule.JobSecrets, "own-job", 200 },
        { AccessRule.JobSecrets, "other-job", 403 },
        { AccessRule.JobSecrets, "other-account", 403 },
        { AccessRule.JobSecrets, "lab", 403 },
        { AccessRule.JobRenew, "owner", 200 },
        { AccessRule.JobRenew, "lab", 200 },
        { AccessRule.JobRenew, "own-job", 200 },
        { AccessRule.JobRenew, "other-job", 403 },
        { AccessRule.JobRenew, "other-account", 403 },
        { AccessRule.JobUpdate, "lab", 200 },
        { AccessRule.JobUpdate, "own-job", 200 },
        { AccessRule.JobUpdate, "operator", 200 },
        { AccessRule.JobUpdate, "other-job", 403 },
        { AccessRule.JobUpdate, "owner", 403 },
        { AccessRule.Consume, "lab", 200 },
        { AccessRule.Consume, "owner", 403 },
        { AccessRule.Consume, "own-job", 403 },
        { AccessRule.Consume, "operator", 403 },
        { AccessRule.Heartbeat, "lab", 200 },
        { AccessRule.Heartbeat, "own-job", 200 },
        { AccessRule.Heartbeat, "other-job", 403 },
        { AccessRule.Operator, "operator", 200 },
        { AccessRule.Operator, "admin", 200 },
        { AccessRule.Operator, "lab", 403 },
        { AccessRule.Operator, "owner", 403 },
        { AccessRule.Operator, "anonymous", 401 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_caller_gets_the_answer_of_the_table(AccessRule rule, string caller, int status)
    {
        var decision = AccessRules.Decide(rule, Callers[caller], TeamAJob);
        Assert.Equal(status, decision.Allowed ? 200 : decision.Status);
        if (!decision.Allowed)
        {
            Assert.False(string.IsNullOrEmpty(decision.Field));
            Assert.False(string.IsNullOrEmpty(decision.Message));
        }
    }

    [Fact]
    public void An_account_reads_its_own_record_and_not_another()
    {
        Assert.True(AccessRules.Decide(AccessRule.AccountRead, Caller.OfAccount("team-a"), new AccessTarget(Account: "team-a")).Allowed);
        var refused = AccessRules.Decide(AccessRule.AccountRead, Caller.OfAccount("team-a"), new AccessTarget(Account: "team-b"));
        Assert.Equal(StatusCodes.Status403Forbidden, refused.Status);
        Assert.Equal("account", refused.Field);
    }

    [Fact]
    public void An_account_submits_for_itself_only_and_an_absent_account_is_filled_in()
    {
        var (filled, account) = AccessRules.DecideSubmit(Caller.OfAccount("team-a"), null);
        Assert.True(filled.Allowed);
        Assert.Equal("team-a", account);

        var (other, _) = AccessRules.DecideSubmit(Caller.OfAccount("team-a"), "team-b");
        Assert.Equal(StatusCodes.Status403Forbidden, other.Status);
        Assert.Equal("my_account", other.Field);
        Assert.Contains("team-b", other.Message, StringComparison.Ordinal);

        Assert.Equal(("team-b"), AccessRules.DecideSubmit(Caller.Admin, "team-b").Account);
        Assert.Equal(StatusCodes.Status401Unauthorized, AccessRules.DecideSubmit(Caller.Anonymous, "team-a").Decision.Status);
        Assert.Equal(StatusCodes.Status403Forbidden, AccessRules.DecideSubmit(Caller.Lab, "team-a").Decision.Status);
    }

    [Theory]
    [InlineData("GET", "/healthz", AccessRule.Public)]
    [InlineData("HEAD", "/job_initrd_tmpfs/{id}/{token}/job.cgz", AccessRule.Public)]
    [InlineData("HEAD", "/api/v1/jobs/{id}", AccessRule.JobRead)]
    [InlineData("POST", "/api/v1/jobs/{id}/cancel", AccessRule.JobCancel)]
    [InlineData("POST", "/api/v1/jobs/{id}/stage", AccessRule.JobUpdate)]
    [InlineData("PUT", "/result/{**path}", AccessRule.JobUpdate)]
    [InlineData("GET", "/api/v1/jobs/", AccessRule.JobList)]
    [InlineData("POST", "/api/v1/hosts/{host}/release", AccessRule.Operator)]
    [InlineData("DELETE", "/api/v1/some-new-route", AccessRule.Operator)]
    public void Routes_have_their_rule_and_an_unlisted_one_is_for_operators(string method, string pattern, AccessRule rule) =>
        Assert.Equal(rule, AccessRules.For(method, pattern).Rule);

    [Fact]
    public void A_job_scoped_route_says_where_its_job_id_is()
    {
        Assert.Equal(JobIdSource.CookieJobId, AccessRules.For("MKCOL", "/result/{**path}").JobFrom);
        Assert.Equal(JobIdSource.QueryJobId, AccessRules.For("GET", "/~lkp/cgi-bin/lkp-cluster-sync").JobFrom);
        Assert.Equal(JobIdSource.RouteJobId, AccessRules.For("POST", "/api/v1/clusters/{id}/nodes/{jobId}/state").JobFrom);
    }
}
