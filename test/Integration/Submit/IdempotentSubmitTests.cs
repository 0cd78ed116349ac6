using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Submit;

/// <summary>A submit with a <c>submit_id</c> may be sent again after a lost answer: one job, whatever happens.</summary>
public sealed class IdempotentSubmitTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static JsonObject Job(string account, string submitId, string suite = "ebizzy") => new()
    {
        ["suite"] = suite,
        ["my_account"] = account,
        ["tbox_group"] = "vm-idem",
        ["submit_id"] = submitId,
    };

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(JsonObject job, string contentType = "application/json", string? body = null)
    {
        using var response = await fixture.Http.PostAsync("/api/v1/jobs", new StringContent(body ?? job.ToJsonString(), Encoding.UTF8, contentType));
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private Task<long> JobsOfAsync(string account) =>
        Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE my_account = '{account}'");

    [Fact]
    public async Task The_same_submit_id_again_answers_200_with_the_job_created_the_first_time()
    {
        var account = "idem-" + Guid.NewGuid().ToString("N")[..6];

        var (firstStatus, first) = await PostAsync(Job(account, "nightly-2026-12-01"));
        var (againStatus, again) = await PostAsync(Job(account, "nightly-2026-12-01"));
        var yaml = $"suite: ebizzy\nmy_account: {account}\ntbox_group: vm-idem\nsubmit_id: nightly-2026-12-01\n";
        var (yamlStatus, asYaml) = await PostAsync(new JsonObject(), "application/yaml", yaml);

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(HttpStatusCode.OK, yamlStatus);
        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal(first["id"]!.GetValue<string>(), asYaml["id"]!.GetValue<string>());
        Assert.Equal("nightly-2026-12-01", again["submit_id"]!.GetValue<string>());
        Assert.Equal(1, await JobsOfAsync(account));
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_submit_create_one_job()
    {
        var account = "idem-" + Guid.NewGuid().ToString("N")[..6];

        // Several rounds: repeats racing on one key can deadlock each other in the database, which must never reach the client.
        for (var round = 0; round < 5; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => PostAsync(Job(account, $"burst-{round}"))));

            Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
            Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
            Assert.Single(answers.Select(a => a.Body["id"]!.GetValue<string>()).Distinct());
        }

        Assert.Equal(5, await JobsOfAsync(account));
    }

    [Fact]
    public async Task The_same_submit_id_from_another_account_is_another_job()
    {
        var mine = "idem-" + Guid.NewGuid().ToString("N")[..6];
        var theirs = mine + "-b";

        var (_, first) = await PostAsync(Job(mine, "shared-name"));
        var (status, other) = await PostAsync(Job(theirs, "shared-name"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.NotEqual(first["id"]!.GetValue<string>(), other["id"]!.GetValue<string>());
        Assert.Equal(1, await JobsOfAsync(mine));
        Assert.Equal(1, await JobsOfAsync(theirs));
    }

    [Fact]
    public async Task The_same_submit_id_for_a_different_job_is_a_conflict_that_names_the_field()
    {
        var account = "idem-" + Guid.NewGuid().ToString("N")[..6];
        var (_, first) = await PostAsync(Job(account, "reused"));

        var (status, problem) = await PostAsync(Job(account, "reused", suite: "hackbench"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(first["id"]!.GetValue<string>(), problem["errors"]!["submit_id"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await JobsOfAsync(account));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"\"")]
    [InlineData("\"tab\\there\"")]
    [InlineData("[\"a\"]")]
    public async Task A_submit_id_that_is_not_a_short_printable_string_is_refused(string submitId)
    {
        var account = "idem-" + Guid.NewGuid().ToString("N")[..6];
        var body = $"{{\"suite\": \"s\", \"my_account\": \"{account}\", \"submit_id\": {submitId}}}";

        var (status, problem) = await PostAsync(new JsonObject(), body: body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem["errors"]!["submit_id"]);
        Assert.Equal(0, await JobsOfAsync(account));
    }

    [Fact]
    public async Task A_repeated_multi_node_submit_answers_every_node_job_of_the_first_one()
    {
        var account = "idem-" + Guid.NewGuid().ToString("N")[..6];
        var job = Job(account, "pair-1", "netbench");
        job.Remove("tbox_group");
        job["cluster_spec"] = JsonNode.Parse("""{"nodes": {"idem-a--1": {"roles": ["server"]}, "idem-b--1": {"roles": ["client"]}}}""");

        var (firstStatus, first) = await PostAsync(job);
        var (againStatus, again) = await PostAsync(job);

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(
            first["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()),
            again["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        Assert.Equal(2, await JobsOfAsync(account));
    }
}
