using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Fixtures;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Submit;

/// <summary><c>POST /api/v1/jobs?expand=true</c>: an lkp job file becomes its jobs, each submitted through the one submit path.</summary>
public sealed class JobFileExpandTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static string NewAccount() => "expand-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string file, params string[] settings)
    {
        var query = string.Concat(settings.Select(s => "&set=" + Uri.EscapeDataString(s)));
        using var content = new StringContent(file, Encoding.UTF8, "application/yaml");
        using var response = await fixture.Http.PostAsync($"/api/v1/jobs?expand=true{query}", content, TestContext.Current.CancellationToken);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!);
    }

    private Task<long> JobsOfAsync(string account) =>
        Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE my_account = '{account}'");

    private static List<string> Ids(JsonObject body) => [.. body["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>())];

    [Fact]
    public async Task A_two_by_two_matrix_makes_four_jobs_each_readable_with_its_expanded_pp()
    {
        var account = NewAccount();

        var (status, body) = await PostAsync(LkpFixtures.ReadJob("cpuloop-2x2.yaml"), "testbox=vm-2p8g--x", $"my_account={account}");

        Assert.Equal(HttpStatusCode.Created, status);
        var ids = Ids(body);
        Assert.Equal(4, ids.Distinct().Count());
        var pps = new List<string>();
        foreach (var id in ids)
        {
            using var response = await fixture.Http.GetAsync($"/api/v1/jobs/{id}", TestContext.Current.CancellationToken);
            var job = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("vm-2p8g--x", job["testbox"]!.GetValue<string>());
            Assert.Equal("vm-2p8g", job["tbox_group"]!.GetValue<string>());
            Assert.Equal("submit", job["job_stage"]!.GetValue<string>());
            pps.Add(job["pp"]!.ToJsonString());
        }

        Assert.Equal(
            [
                """{"cpuloop":{"mode":"spin","threads":1}}""",
                """{"cpuloop":{"mode":"spin","threads":4}}""",
                """{"cpuloop":{"mode":"yield","threads":1}}""",
                """{"cpuloop":{"mode":"yield","threads":4}}""",
            ],
            pps);
        Assert.Equal(4, await JobsOfAsync(account));
    }

    [Fact]
    public async Task An_erb_line_is_a_400_naming_the_line_and_stores_nothing()
    {
        var account = NewAccount();

        var (status, body) = await PostAsync(LkpFixtures.ReadJob("lease-2h.yaml"), "tbox_group=vm-2p8g", $"my_account={account}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = Assert.Single(body["errors"]!["authorized_key"]!.AsArray())!.GetValue<string>();
        Assert.Contains("line 3", message, StringComparison.Ordinal);
        Assert.Equal(0, await JobsOfAsync(account));

        // The override the message asks for makes the line harmless.
        var (fixedStatus, fixedBody) = await PostAsync(LkpFixtures.ReadJob("lease-2h.yaml"), "tbox_group=vm-2p8g", $"my_account={account}", "authorized_key=ssh-ed25519 AAAA me");
        Assert.Equal(HttpStatusCode.Created, fixedStatus);
        Assert.Single(Ids(fixedBody));
    }

    [Fact]
    public async Task A_bad_last_job_stores_none_of_the_jobs_before_it()
    {
        var account = NewAccount();

        // The second value of the array is a testbox name no testbox can have: job 2 of 2 is refused.
        var (status, body) = await PostAsync("suite: s\ntestbox: [vm-a--1, 'bad name']\n", $"my_account={account}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("job 2 of 2", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await JobsOfAsync(account));
    }

    [Fact]
    public async Task A_retry_with_a_submit_id_answers_200_with_the_same_jobs()
    {
        var account = NewAccount();
        var file = LkpFixtures.ReadJob("cpuloop-2x2.yaml") + "submit_id: nightly-42\n";

        var (firstStatus, first) = await PostAsync(file, "tbox_group=vm-2p8g", $"my_account={account}");
        var (againStatus, again) = await PostAsync(file, "tbox_group=vm-2p8g", $"my_account={account}");

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(Ids(first), Ids(again));
        Assert.Equal(["nightly-42.1", "nightly-42.2", "nightly-42.3", "nightly-42.4"], again["jobs"]!.AsArray().Select(j => j!["submit_id"]!.GetValue<string>()));
        Assert.Equal(4, await JobsOfAsync(account));
    }

    [Fact]
    public async Task Bad_parameters_are_400s_naming_them()
    {
        using var content = new StringContent("suite: s\n", Encoding.UTF8, "application/yaml");
        using var badExpand = await fixture.Http.PostAsync("/api/v1/jobs?expand=maybe", content, TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(badExpand, HttpStatusCode.BadRequest, "expand", "expand=maybe");

        var (status, body) = await PostAsync("suite: s\n", "no-separator");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body["errors"]!["set"]);
    }
}
