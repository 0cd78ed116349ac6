using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Fixtures;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>Submit, read, list and consume through the real HTTP server and database.</summary>
public sealed class JobApiTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static readonly string Account = "api-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task A_submitted_json_job_is_stored_whole_and_read_back()
    {
        var job = new JsonObject
        {
            ["suite"] = "hackbench",
            ["my_account"] = Account,
            ["testbox"] = "vm-2p8g--h1-0",
            ["os_arch"] = "aarch64",
            ["memory"] = "512M",
            ["priority"] = 7,
            ["hackbench"] = new JsonObject { ["mode"] = "process", ["ipc"] = "pipe" },
            ["custom_field"] = new JsonArray(1, 2, 3),
        };

        using var response = await fixture.Http.PostAsync("/api/v1/jobs", Json(job), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("submit", created["job_stage"]!.GetValue<string>());

        var read = (await fixture.Client.GetJobAsync(id))!;
        Assert.Equal(id, read["id"]!.GetValue<string>());
        Assert.Equal("vm-2p8g", read["tbox_group"]!.GetValue<string>());
        Assert.Equal(512, read["memory_minimum_mb"]!.GetValue<long>());
        Assert.Equal(7, read["priority"]!.GetValue<int>());
        Assert.Equal("arch=aarch64,tbox_group=vm-2p8g,tbox_type=vm,testbox=vm-2p8g--h1-0", read["queue_key"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(job["hackbench"], read["hackbench"]));
        Assert.True(JsonNode.DeepEquals(job["custom_field"], read["custom_field"]));
        Assert.Equal(1, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE id = {id} AND JSON_VALUE(jj, '$.custom_field[2]') = 3"));
    }

    [Fact]
    public async Task A_yaml_job_in_lkp_format_is_accepted()
    {
        var yaml = await File.ReadAllTextAsync(LkpFixtures.JobPath("memspin.yaml"), TestContext.Current.CancellationToken);
        yaml += $"\nmy_account: {Account}\ntbox_group: vm-2p8g\narch: x86_64\n";
        using var response = await fixture.Http.PostAsync("/api/v1/jobs", new StringContent(yaml, Encoding.UTF8, "application/yaml"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var created = (JsonObject)JsonNode.Parse(body)!;
        Assert.Equal("memspin", created["suite"]!.GetValue<string>());
        Assert.Equal("15s", created["memspin"]!["duration"]!.GetValue<string>());
        Assert.Equal(64, created["memspin"]!["stride"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_consumed_job_is_in_boot_held_by_the_testbox_and_not_handed_out_again()
    {
        var tbox = "vm-cons-" + Guid.NewGuid().ToString("N")[..6];
        var created = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = Account, ["tbox_group"] = tbox, ["memory"] = 4 }, TestContext.Current.CancellationToken);
        var id = created["id"]!.GetValue<string>();
        var tags = new Dictionary<string, string> { ["arch"] = "aarch64" };

        Assert.Null(await fixture.Client.ConsumeAsync($"{tbox}--0", tags, memoryGb: 2, waitSeconds: 0, cancellationToken: TestContext.Current.CancellationToken));
        var job = await fixture.Client.ConsumeAsync($"{tbox}--1", tags, memoryGb: 8, waitSeconds: 0, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal(id, job["id"]!.GetValue<string>());
        Assert.Equal("boot", job["job_stage"]!.GetValue<string>());
        Assert.Equal($"{tbox}--1", job["testbox"]!.GetValue<string>());
        Assert.Null(await fixture.Client.ConsumeAsync($"{tbox}--2", tags, memoryGb: 8, waitSeconds: 0, cancellationToken: TestContext.Current.CancellationToken));
        var stored = (await fixture.Client.GetJobAsync(id))!;
        Assert.Equal("boot", stored["job_stage"]!.GetValue<string>());
        Assert.Equal($"{tbox}--1", stored["testbox"]!.GetValue<string>());
    }

    [Fact]
    public async Task Higher_priority_then_older_jobs_come_first()
    {
        var tbox = "vm-prio-" + Guid.NewGuid().ToString("N")[..6];
        var low = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = Account, ["tbox_group"] = tbox, ["priority"] = 1 }, TestContext.Current.CancellationToken);
        var oldHigh = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = Account, ["tbox_group"] = tbox, ["priority"] = 9 }, TestContext.Current.CancellationToken);
        var newHigh = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = Account, ["tbox_group"] = tbox, ["priority"] = "9" }, TestContext.Current.CancellationToken);
        var anyBox = new Dictionary<string, string>();

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add((await fixture.Client.ConsumeAsync($"{tbox}--{i}", anyBox, 1, 0, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
        }

        Assert.Equal([oldHigh["id"]!.GetValue<string>(), newHigh["id"]!.GetValue<string>(), low["id"]!.GetValue<string>()], order);
    }

    [Fact]
    public async Task A_consume_retried_with_the_same_request_id_gets_the_same_job_not_a_second_one()
    {
        var tbox = "vm-retry-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = Account, ["tbox_group"] = tbox }, TestContext.Current.CancellationToken);
        await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = Account, ["tbox_group"] = tbox }, TestContext.Current.CancellationToken);
        var none = new Dictionary<string, string>();

        var first = await fixture.Client.ConsumeAsync($"{tbox}--0", none, 1, 0, requestId: "req-1", cancellationToken: TestContext.Current.CancellationToken);
        var again = await fixture.Client.ConsumeAsync($"{tbox}--0", none, 1, 0, requestId: "req-1", cancellationToken: TestContext.Current.CancellationToken);
        var next = await fixture.Client.ConsumeAsync($"{tbox}--0", none, 1, 0, requestId: "req-2", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first!["id"]!.GetValue<string>(), again!["id"]!.GetValue<string>());
        Assert.NotEqual(first["id"]!.GetValue<string>(), next!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Jobs_list_newest_first_with_filters_and_a_cursor()
    {
        var suite = "list-" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = suite, ["my_account"] = Account, ["tbox_group"] = "nowhere" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>());
        }

        var page1 = (JsonObject)JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/jobs?suite={suite}&job_stage=submit&limit=3", TestContext.Current.CancellationToken))!;
        var cursor = page1["next"]!.GetValue<string>();
        var page2 = (JsonObject)JsonNode.Parse(await fixture.Http.GetStringAsync($"/api/v1/jobs?suite={suite}&limit=3&after={cursor}", TestContext.Current.CancellationToken))!;

        var seen = page1["jobs"]!.AsArray().Concat(page2["jobs"]!.AsArray()).Select(j => j!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Reverse(ids), seen);
        Assert.Null(page2["next"]);
    }

    [Fact]
    public async Task Queues_show_pending_count_and_oldest_submit_time()
    {
        var tbox = "vm-queue-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = Account, ["tbox_group"] = tbox, ["arch"] = "riscv64" }, TestContext.Current.CancellationToken);
        await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = Account, ["tbox_group"] = tbox, ["arch"] = "riscv64" }, TestContext.Current.CancellationToken);

        var queue = (await fixture.Client.QueuesAsync()).Single(q => q!["key"]!.GetValue<string>() == $"arch=riscv64,tbox_group={tbox},tbox_type=vm")!;

        Assert.Equal(2, queue["pending"]!.GetValue<int>());
        Assert.True(DateTimeOffset.Parse(queue["oldest_submit_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Health_readiness_and_openapi_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);
        var openApi = JsonNode.Parse(await fixture.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        Assert.NotNull(openApi["paths"]!["/api/v1/testboxes/{testbox}/consume"]);
        Assert.NotNull(openApi["paths"]!["/api/v1/jobs"]);
        Assert.NotNull(openApi["paths"]!["/api/v1/clusters/{id}/watch"]);
        Assert.NotNull(openApi["paths"]!["/api/v1/testboxes/{testbox}/heartbeat"]);
    }

    internal static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");
}
