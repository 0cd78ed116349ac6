using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hosts;

/// <summary>"Why is my job waiting" and the registry's view of each testbox, on a silo of their own so the registry holds only what these tests put there.</summary>
public sealed class WhyAndRegistryTests(MariaDbFixture database)
{
    private static async Task<JsonArray> ReasonsAsync(HttpClient http, string id) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs/{id}/why"))!["reasons"]!.AsArray();

    private static string Codes(JsonArray reasons) => string.Join(',', reasons.Select(r => r!["code"]!.GetValue<string>()));

    private static string Message(JsonArray reasons, string code) => reasons.Single(r => r!["code"]!.GetValue<string>() == code)!["message"]!.GetValue<string>();

    [Fact]
    public async Task Why_names_each_reason_with_numbers_and_submit_warns_about_an_impossible_tag()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("why");
        await using var silo = await SiloProcess.StartAsync(connectionString, "why" + Guid.NewGuid().ToString("N")[..6]);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        // One testbox of group vm-why, x86_64 with 8 GiB, makes itself known by asking for work.
        Assert.Null(await client.ConsumeAsync("vm-why--h9-1", new Dictionary<string, string> { ["arch"] = "x86_64" }, 8, 0, cancellationToken: TestContext.Current.CancellationToken));

        var wrongArch = await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-why", ["arch"] = "aarch64" }, TestContext.Current.CancellationToken);
        var tooBig = await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-why", ["memory"] = "16G" }, TestContext.Current.CancellationToken);
        var fits = await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-why", ["arch"] = "x86_64" }, TestContext.Current.CancellationToken);

        Assert.Contains("aarch64", wrongArch["warnings"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(tooBig["warnings"]);
        Assert.Null(fits["warnings"]);
        var noMatch = await ReasonsAsync(http, wrongArch["id"]!.GetValue<string>());
        Assert.Equal("no_matching_testbox", Codes(noMatch));
        Assert.Contains("vm-why--h9-1 lacks arch=aarch64 (offers arch=x86_64)", Message(noMatch, "no_matching_testbox"), StringComparison.Ordinal);
        var memory = await ReasonsAsync(http, tooBig["id"]!.GetValue<string>());
        Assert.StartsWith("memory", Codes(memory), StringComparison.Ordinal);
        Assert.Contains("16 GiB", Message(memory, "memory"), StringComparison.Ordinal);
        Assert.Contains("8 GiB", Message(memory, "memory"), StringComparison.Ordinal);
        Assert.Equal("should_run_soon", Codes(await ReasonsAsync(http, fits["id"]!.GetValue<string>())));

        // The box takes the fitting job; a second like it now waits behind a busy box, a third behind the second.
        Assert.Equal(fits["id"]!.GetValue<string>(), (await client.ConsumeAsync("vm-why--h9-1", new Dictionary<string, string> { ["arch"] = "x86_64" }, 8, 0, cancellationToken: TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
        await client.StageAsync(fits["id"]!.GetValue<string>(), "running");
        var second = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-why", ["arch"] = "x86_64" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        var third = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-why", ["arch"] = "x86_64" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        var busy = await ReasonsAsync(http, second);
        var behind = await ReasonsAsync(http, third);

        Assert.Equal("all_busy", Codes(busy));
        Assert.Contains("1 running", Message(busy, "all_busy"), StringComparison.Ordinal);
        Assert.Equal("all_busy,jobs_ahead", Codes(behind));
        Assert.Contains("1 job", Message(behind, "jobs_ahead"), StringComparison.Ordinal);
        var held = await ReasonsAsync(http, fits["id"]!.GetValue<string>());
        Assert.Equal("not_waiting", Codes(held));
    }

    [Fact]
    public async Task The_registry_follows_a_testbox_through_a_job_and_shows_it_offline_when_it_falls_silent()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("registry");
        await using var silo = await SiloProcess.StartAsync(connectionString, "reg" + Guid.NewGuid().ToString("N")[..6]);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        const string box = "vm-reg--h5-0";
        async Task<JsonNode> EntryAsync() =>
            JsonNode.Parse(await http.GetStringAsync("/api/v1/testboxes"))!["testboxes"]!.AsArray().Single(t => t!["testbox"]!.GetValue<string>() == box)!;

        // Waiting in a long-poll: requesting.
        var consume = client.ConsumeAsync(box, new Dictionary<string, string>(), 4, 30, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(await Eventually.HoldsAsync(async () => (await http.GetStringAsync("/api/v1/testboxes")).Contains(box, StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        Assert.Equal("requesting", (await EntryAsync())["state"]!.GetValue<string>());
        Assert.Equal("h5", (await EntryAsync())["host"]!.GetValue<string>());

        var id = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["testbox"] = box }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.Equal(id, (await consume)!["id"]!.GetValue<string>());
        var booting = await EntryAsync();
        Assert.Equal("booting", booting["state"]!.GetValue<string>());
        Assert.Equal(id, booting["job_id"]!.GetValue<string>());

        await client.StageAsync(id, "running");
        var running = await EntryAsync();
        Assert.Equal("running", running["state"]!.GetValue<string>());
        Assert.Equal(id, running["job_id"]!.GetValue<string>());

        await client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success" });
        await client.HeartbeatAsync(box, 1);
        var idle = await EntryAsync();
        Assert.Equal("idle", idle["state"]!.GetValue<string>());
        Assert.Null(idle["job_id"]);

        // Beating every second, three missed beats make it offline.
        Assert.True(await Eventually.HoldsAsync(async () => (await EntryAsync())["state"]!.GetValue<string>() == "offline", TimeSpan.FromSeconds(15)));
        var hosts = JsonNode.Parse(await http.GetStringAsync("/api/v1/hosts", TestContext.Current.CancellationToken))!["hosts"]!.AsArray();
        Assert.Equal(1, hosts.Single(h => h!["host"]!.GetValue<string>() == "h5")!["testboxes"]!.GetValue<int>());
        using var unknown = await http.GetAsync("/api/v1/hosts/no-such-host", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        using var badBeat = await http.PostAsync($"/api/v1/testboxes/{box}/heartbeat", new StringContent("{\"host\": \"has space\"}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badBeat.StatusCode);
    }
}
