using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.JobInitrd;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>A closed silo (an admin token configured) whose token key the test knows.</summary>
public sealed class JobInitrdClosedSilo(MariaDbFixture database) : SiloFixture(database)
{
    public string AdminToken { get; } = "admin-" + Guid.NewGuid().ToString("N");

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Auth__AdminToken"] = AdminToken,
        ["CompassCi__Auth__TokenKey"] = JobInitrdSilo.TokenKey,
    };
}

/// <summary>In closed mode the path's token alone opens job.cgz: an iPXE or kexec download sends no other credential.</summary>
public sealed class JobInitrdClosedTests(JobInitrdClosedSilo fixture) : IClassFixture<JobInitrdClosedSilo>
{
    [Fact]
    public async Task An_anonymous_download_with_the_token_gets_job_cgz_and_one_without_gets_403()
    {
        var tbox = "vm-cgzc-" + Guid.NewGuid().ToString("N")[..6];
        var leaseId = "req-" + Guid.NewGuid().ToString("N");
        var id = (await AdminPostAsync("/api/v1/jobs", new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "a", ["tbox_group"] = tbox }))["id"]!.GetValue<string>();
        var taken = await AdminPostAsync($"/api/v1/testboxes/{tbox}--0/consume", new JsonObject { ["wait_seconds"] = 0, ["request_id"] = leaseId });
        Assert.Equal(id, taken["id"]!.GetValue<string>());

        // fixture.Http sends no Authorization header.
        var path = JobInitrdToken.Path(JobInitrdSilo.Key, long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), leaseId);
        using var allowed = await fixture.Http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(new byte[] { 0x1f, 0x8b }, (await allowed.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken))[..2]);

        using var refused = await fixture.Http.GetAsync($"/job_initrd_tmpfs/{id}/job.cgz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("token", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private async Task<JsonObject> AdminPostAsync(string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AdminToken);
        using var response = await fixture.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }
}
