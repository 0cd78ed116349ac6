using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>A client's mistake gets a 4xx naming the field, and nothing is stored.</summary>
public sealed class BadInputTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task A_job_in_an_unknown_format_gets_415_naming_the_content_type()
    {
        var before = await JobCount();
        using var response = await fixture.Http.PostAsync("/api/v1/jobs", new StringContent("suite: a", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "content_type", "text/plain body");
        Assert.Equal(before, await JobCount());
    }

    public static TheoryData<string, string, string, string> BadJobs => new()
    {
        { "invalid JSON", "application/json", "{\"suite\": \"x\", ", "body" },
        { "invalid YAML", "application/yaml", "suite: x\n  - : [\n", "body" },
        { "missing suite", "application/json", "{\"my_account\": \"a\"}", "suite" },
        { "missing my_account", "application/json", "{\"suite\": \"a\"}", "my_account" },
        { "memory: lots", "application/json", "{\"suite\": \"a\", \"my_account\": \"a\", \"memory\": \"lots\"}", "memory" },
        { "tags not a map", "application/json", "{\"suite\": \"a\", \"my_account\": \"a\", \"tags\": [\"arch=x86_64\"]}", "tags" },
        { "not an object", "application/json", "[1, 2]", "body" },
        { "bad priority", "application/json", "{\"suite\": \"a\", \"my_account\": \"a\", \"priority\": \"urgent\"}", "priority" },
        { "max_attempts too high", "application/json", "{\"suite\": \"a\", \"my_account\": \"a\", \"max_attempts\": 99}", "max_attempts" },
        { "max_attempts not a number", "application/yaml", "suite: a\nmy_account: a\nmax_attempts: twice\n", "max_attempts" },
    };

    [Theory]
    [MemberData(nameof(BadJobs))]
    public async Task A_bad_job_gets_400_naming_the_field_and_stores_nothing(string why, string contentType, string body, string field)
    {
        var before = await JobCount();
        using var response = await fixture.Http.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, contentType), TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.BadRequest, field, why);
        Assert.Equal(before, await JobCount());
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_gets_413_and_stores_nothing()
    {
        var before = await JobCount();
        var job = new JsonObject { ["suite"] = "big", ["my_account"] = "a", ["padding"] = new string('x', 1024 * 1024) };
        using var response = await fixture.Http.PostAsync("/api/v1/jobs", JobApiTests.Json(job), TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "body", "oversized body");
        Assert.Equal(before, await JobCount());
    }

    [Fact]
    public async Task An_unknown_job_id_gets_404_naming_the_id()
    {
        using var unknown = await fixture.Http.GetAsync("/api/v1/jobs/999999999", TestContext.Current.CancellationToken);
        await AssertProblem(unknown, HttpStatusCode.NotFound, "id", "unknown id");
        using var garbage = await fixture.Http.GetAsync("/api/v1/jobs/not-a-number", TestContext.Current.CancellationToken);
        await AssertProblem(garbage, HttpStatusCode.NotFound, "id", "non-numeric id");
    }

    public static TheoryData<string, string, string> BadConsumes => new()
    {
        { "wait too long", "{\"wait_seconds\": 9999}", "wait_seconds" },
        { "tags not a map", "{\"tags\": \"arch=x86_64\"}", "tags" },
        { "negative memory", "{\"memory_gb\": -1}", "memory_gb" },
        { "invalid JSON", "{\"tags\": ", "body" },
        { "tag value an object", "{\"tags\": {\"arch\": {\"x\": 1}}}", "tags.arch" },
        { "other testbox named", "{\"tags\": {\"testbox\": \"someone-else\"}}", "tags.testbox" },
    };

    [Theory]
    [MemberData(nameof(BadConsumes))]
    public async Task A_bad_consume_gets_400_naming_the_field_and_takes_nothing(string why, string body, string field)
    {
        var tbox = "vm-bad-" + Guid.NewGuid().ToString("N")[..6];
        var job = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = tbox }, TestContext.Current.CancellationToken);

        using var response = await fixture.Http.PostAsync($"/api/v1/testboxes/{tbox}--0/consume", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.BadRequest, field, why);
        Assert.Equal("submit", (await fixture.Client.GetJobAsync(job["id"]!.GetValue<string>()))!["job_stage"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BadHeartbeats => new()
    {
        { "interval zero", "{\"interval_seconds\": 0}", "interval_seconds" },
        { "interval a word", "{\"interval_seconds\": \"often\"}", "interval_seconds" },
        { "unknown field", "{\"intervl_seconds\": 5}", "intervl_seconds" },
        { "invalid JSON", "{\"interval_seconds\": ", "body" },
        { "not an object", "[60]", "body" },
    };

    [Theory]
    [MemberData(nameof(BadHeartbeats))]
    public async Task A_bad_heartbeat_gets_400_naming_the_field_and_records_nothing(string why, string body, string field)
    {
        var testbox = "vm-beat-" + Guid.NewGuid().ToString("N")[..6];
        using var response = await fixture.Http.PostAsync($"/api/v1/testboxes/{testbox}/heartbeat", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.BadRequest, field, why);
        Assert.Equal(0, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM testboxes WHERE testbox = '{testbox}'"));
    }

    [Fact]
    public async Task A_bad_crash_window_gets_400_naming_it()
    {
        using var since = await fixture.Http.GetAsync("/api/v1/stats/crashes?since=last-tuesday", TestContext.Current.CancellationToken);
        await AssertProblem(since, HttpStatusCode.BadRequest, "since", "unparsable since");
        using var inverted = await fixture.Http.GetAsync("/api/v1/stats/crashes?since=1h&until=2h", TestContext.Current.CancellationToken);
        await AssertProblem(inverted, HttpStatusCode.BadRequest, "since", "since after until");
    }

    [Fact]
    public async Task A_bad_list_filter_gets_400_naming_it()
    {
        using var stage = await fixture.Http.GetAsync("/api/v1/jobs?job_stage=flying", TestContext.Current.CancellationToken);
        await AssertProblem(stage, HttpStatusCode.BadRequest, "job_stage", "unknown stage");
        using var limit = await fixture.Http.GetAsync("/api/v1/jobs?limit=0", TestContext.Current.CancellationToken);
        await AssertProblem(limit, HttpStatusCode.BadRequest, "limit", "zero limit");
        using var cursor = await fixture.Http.GetAsync("/api/v1/jobs?after=garbage", TestContext.Current.CancellationToken);
        await AssertProblem(cursor, HttpStatusCode.BadRequest, "after", "forged cursor");
    }

    private Task<long> JobCount() => Sql.ScalarAsync<long>(fixture.ConnectionString, "SELECT COUNT(*) FROM jobs");

    private static Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string field, string why) =>
        ProblemAssert.IsAsync(response, status, field, why);
}
