using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>compass-ci's <c>/submit_job</c>, <c>/cancel_jobs</c> and <c>GET /</c> on an open silo, answered as compass-ci answers.</summary>
public sealed partial class SubmitJobTests(CompatSiloFixture fixture) : IClassFixture<CompatSiloFixture>
{
    private static readonly byte[] Cgz = [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    private Task<long> JobRowsAsync() => Sql.ScalarAsync<long>(fixture.ConnectionString, "SELECT COUNT(*) FROM jobs");

    [Fact]
    public async Task An_lkp_job_is_answered_as_compass_ci_does_and_stored_with_its_derived_fields()
    {
        var job = CompatCalls.LkpJob("ann", Cgz);
        var md5 = job["pkg_data"]!["lkp-tests"]!["md5"]!.GetValue<string>();

        var (status, text) = await CompatCalls.PostAsync(fixture.Http, "/submit_job", job);

        Assert.Equal(HttpStatusCode.OK, status);
        var match = OneJob().Match(text);
        Assert.True(match.Success, text);
        var id = match.Groups["id"].Value;
        var stored = await fixture.Client.GetJobAsync(id);
        Assert.NotNull(stored);
        Assert.Equal("/srv" + stored["result_root"]!.GetValue<string>(), match.Groups["root"].Value);
        Assert.EndsWith("/" + id, match.Groups["root"].Value, StringComparison.Ordinal);
        // compass-ci's derived fields, and the requirements unchanged by them.
        Assert.Equal("vm", stored["tbox_type"]!.GetValue<string>());
        Assert.Equal("aarch64", stored["os_arch"]!.GetValue<string>());
        Assert.Equal("openeuler@20.03", stored["osv"]!.GetValue<string>());
        Assert.Equal("openeuler-20.03-aarch64", stored["rootfs"]!.GetValue<string>());
        Assert.Equal("initramfs", stored["os_mount"]!.GetValue<string>());
        Assert.Equal("8", stored["memory_minimum"]!.GetValue<string>());
        Assert.Equal(8192, stored["memory_minimum_mb"]!.GetValue<long>());
        Assert.Contains("rootovl", stored["kernel_params"]!.AsArray().Select(p => p!.GetValue<string>()));
        // What was sent is kept (nulls included), the account's secrets are not, the package is a file.
        Assert.True(stored.ContainsKey("#! jobs/hackbench.yaml"));
        Assert.Null(stored["job2sh"]!["run_job"]![1]);
        Assert.Null(stored["my_token"]);
        Assert.Null(stored["my_email"]);
        Assert.Equal(job["submit_id"]!.GetValue<string>(), stored["submit_id"]!.GetValue<string>());
        Assert.Equal("v3.0", stored["pkg_data"]!["lkp-tests"]!["tag"]!.GetValue<string>());
        Assert.Null(stored["pkg_data"]!["lkp-tests"]!["content"]);
        Assert.Equal(Cgz, await File.ReadAllBytesAsync(Path.Combine(fixture.ResultsRoot, "pkg", "lkp-tests", md5 + ".cgz"), TestContext.Current.CancellationToken));

        // The tbox_type it now needs is offered by every testbox of its group: a native consume of the group takes it.
        var taken = await fixture.Client.ConsumeAsync("vm-2p8g--x", new Dictionary<string, string> { ["arch"] = "aarch64" }, 16, 0, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(id, taken?["id"]?.GetValue<string>());
    }

    [Fact]
    public async Task Each_request_is_a_new_job_even_with_the_same_submit_id()
    {
        // lkp's submit sends one submit_id for all its jobs, and the same body nr_run times.
        var job = CompatCalls.LkpJob("bob", Cgz, "vm-1p1g--y");
        var first = await CompatCalls.PostAsync(fixture.Http, "/submit_job", job);
        var again = await CompatCalls.PostAsync(fixture.Http, "/scheduler/submit_job", job);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.NotEqual(OneJob().Match(first.Text).Groups["id"].Value, OneJob().Match(again.Text).Groups["id"].Value);
    }

    [Fact]
    public async Task A_cluster_job_answers_one_element_per_node()
    {
        var spec = new JsonObject { ["nodes"] = new JsonObject { ["vm-2p16g-mn--1"] = new JsonObject { ["roles"] = new JsonArray("server") }, ["vm-2p16g-mn--2"] = new JsonObject { ["roles"] = new JsonArray("client") } } };
        using var specBody = new StringContent(spec.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var put = await fixture.Http.PutAsync("/api/v1/cluster-specs/cs-compat-two", specBody, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var job = new JsonObject { ["suite"] = "iperf", ["my_account"] = "carl", ["cluster"] = "cs-compat-two", ["node_roles"] = "server client", ["os"] = "openeuler", ["os_version"] = "20.03" };

        var (status, text) = await CompatCalls.PostAsync(fixture.Http, "/submit_job", job);

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonNode.Parse(text)!.AsArray();
        Assert.Equal(2, answer.Count);
        Assert.All(answer, e => Assert.Equal(["job_id", "message", "job_state", "result_root"], e!.AsObject().Select(p => p.Key)));
        var ids = answer.Select(e => e!["job_id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        foreach (var id in ids)
        {
            Assert.Equal("vm", (await fixture.Client.GetJobAsync(id))!["tbox_type"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("suite", null, "suite")]
    [InlineData("memory", "\"lots\"", "memory")]
    [InlineData("os_mount", "\"floppy\"", "os_mount")]
    [InlineData("pkg_data", "{\"lkp-tests\": {\"tag\": \"v3.0\", \"md5\": \"00000000000000000000000000000000\", \"content\": \"AAAA\"}}", "pkg_data.lkp-tests")]
    public async Task A_bad_job_gets_compass_cis_refusal_and_nothing_is_stored(string field, string? value, string named)
    {
        var job = CompatCalls.LkpJob("dora", Cgz);
        if (value is null)
        {
            job.Remove(field);
        }
        else
        {
            job[field] = JsonNode.Parse(value);
        }

        var before = await JobRowsAsync();
        var (status, text) = await CompatCalls.PostAsync(fixture.Http, "/submit_job", job);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var refusal = Assert.Single(JsonNode.Parse(text)!.AsArray())!.AsObject();
        Assert.Equal(["job_id", "message", "error_message", "job_state"], refusal.Select(p => p.Key));
        Assert.Equal("0", refusal["job_id"]!.GetValue<string>());
        Assert.Equal("submit", refusal["job_state"]!.GetValue<string>());
        Assert.StartsWith(named + ":", refusal["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await JobRowsAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_naming_the_body()
    {
        using var content = new StringContent("suite=x&my_account=y", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await fixture.Http.PostAsync("/submit_job", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith("body:", JsonNode.Parse(text)![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_jobs_answers_each_job_as_compass_ci_does()
    {
        var mine = OneJob().Match((await CompatCalls.PostAsync(fixture.Http, "/submit_job", CompatCalls.LkpJob("erin", Cgz, "vm-4p4g--z"))).Text).Groups["id"].Value;
        var theirs = OneJob().Match((await CompatCalls.PostAsync(fixture.Http, "/submit_job", CompatCalls.LkpJob("fred", Cgz, "vm-4p4g--z"))).Text).Groups["id"].Value;
        var request = new JsonObject { ["my_email"] = "erin@example.org", ["my_name"] = "erin", ["my_account"] = "erin", ["my_token"] = "t", ["job_ids"] = new JsonArray(mine, "424242424242", theirs) };

        var (status, text) = await CompatCalls.PostAsync(fixture.Http, "/cancel_jobs", request);
        var again = await CompatCalls.PostAsync(fixture.Http, "/scheduler/cancel_jobs", new JsonObject { ["my_account"] = "erin", ["job_ids"] = new JsonArray(mine) });

        Assert.Equal(HttpStatusCode.OK, status);
        var results = JsonNode.Parse(text)!["results"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(["success", "failed", "forbidden"], results.Select(r => r["result"]!.GetValue<string>()));
        Assert.Equal([mine, "424242424242", theirs], results.Select(r => r["job_id"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal(["result", "job_id", "message"], r.Select(p => p.Key)));
        Assert.Equal("cancel", (await fixture.Client.GetJobAsync(mine))!["job_health"]!.GetValue<string>());
        Assert.Equal("submit", (await fixture.Client.GetJobAsync(theirs))!["job_stage"]!.GetValue<string>());
        Assert.Equal("unsupported", JsonNode.Parse(again.Text)!["results"]![0]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_jobs_without_jobs_is_compass_cis_refusal()
    {
        var (status, text) = await CompatCalls.PostAsync(fixture.Http, "/cancel_jobs", new JsonObject { ["my_account"] = "erin" });

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains("job_ids", JsonNode.Parse(text)!["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_says_it_is_alive()
    {
        var text = await fixture.Http.GetStringAsync("/", TestContext.Current.CancellationToken);
        var scheduler = await fixture.Http.GetStringAsync("/scheduler/", TestContext.Current.CancellationToken);

        Assert.Matches(@"^LKP Alive! The time is \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d, version = 0\.2\.0$", text);
        Assert.StartsWith("LKP Alive! The time is ", scheduler, StringComparison.Ordinal);
    }

    [GeneratedRegex("""^\[\{"job_id":"(?<id>[0-9]+)","message":"","job_state":"submit","result_root":"(?<root>/srv/result/[^"]+)"\}\]$""")]
    private static partial Regex OneJob();
}
