using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Auth;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>A closed silo whose lab network is the loopback range: tokenless calls from there count as the lab's.</summary>
public sealed class LabNetworkSilo(MariaDbFixture database) : SiloFixture(database)
{
    public string AdminToken { get; } = "admin-" + Guid.NewGuid().ToString("N");

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Auth__AdminToken"] = AdminToken,
        ["CompassCi__Auth__LabNetworks__0"] = "127.0.0.0/8",
        ["CompassCi__Compat__BootWaitSeconds"] = "1",
    };
}

/// <summary>
/// Unchanged lkp-tests testboxes send no token; a closed scheduler lets their calls through from <c>Auth:LabNetworks</c>
/// only, as the lab's (never as an operator or an account), and refuses them from anywhere else.
/// </summary>
public sealed class LabNetworkTests(LabNetworkSilo lab, ClosedSiloFixture closed) : IClassFixture<LabNetworkSilo>, IClassFixture<ClosedSiloFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task From_the_lab_network_a_tokenless_testbox_boots_reports_and_closes_its_job_but_is_no_more_than_the_lab()
    {
        var calls = new AuthCalls(lab.Http);
        var group = "vm-net" + Guid.NewGuid().ToString("N")[..6];
        var id = await calls.SubmitAsync(lab.AdminToken, "lab", group);

        var script = await lab.Http.GetStringAsync($"/boot.ipxe/hostname/{group}--1", Cancel);
        Assert.Contains($"/job_initrd_tmpfs/{id}/", script, StringComparison.Ordinal);
        Assert.Equal("Done", await lab.Http.GetStringAsync($"/~lkp/cgi-bin/lkp-jobfile-append-var?job_file=/lkp/scheduled/job.yaml&job_id={id}&job_state=running", Cancel));
        Assert.Equal("\"success\"", await lab.Http.GetStringAsync($"/~lkp/cgi-bin/lkp-post-run?job_file=/lkp/scheduled/job.yaml&job_id={id}", Cancel));
        (await calls.GetAsync($"/api/v1/jobs/{id}", lab.AdminToken)).Is(HttpStatusCode.OK, "the admin reads the job");
        Assert.Equal("success", (await calls.GetAsync($"/api/v1/jobs/{id}", lab.AdminToken)).Json["job_health"]!.GetValue<string>());

        // The lab's, nothing more: no operator call, no submit.
        (await calls.GetAsync("/api/v1/accounts", null)).Is(HttpStatusCode.Forbidden, "an operator call from the lab network");
        (await calls.PostAsync("/api/v1/jobs", null, new JsonObject { ["suite"] = "s", ["my_account"] = "lab", ["tbox_group"] = group })).Is(HttpStatusCode.Forbidden, "a tokenless submit from the lab network");
    }

    [Fact]
    public async Task Without_a_lab_network_a_tokenless_boot_or_report_is_refused_and_takes_nothing()
    {
        var calls = new AuthCalls(closed.Http);
        var group = "vm-nonet" + Guid.NewGuid().ToString("N")[..6];
        var id = await calls.SubmitAsync(closed.AdminToken, "lab", group);

        (await calls.GetAsync($"/boot.ipxe/hostname/{group}--1", null)).Is(HttpStatusCode.Unauthorized, "a tokenless boot");
        (await calls.SendAsync(HttpMethod.Put, "/register-host2redis?type=vm&hostname=h9&max_mem=4", null)).Is(HttpStatusCode.Unauthorized, "a tokenless registration");

        Assert.Equal("submit", (await calls.GetAsync($"/api/v1/jobs/{id}", closed.AdminToken)).Json["job_stage"]!.GetValue<string>());
    }
}
