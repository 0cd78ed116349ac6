using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Auth;

/// <summary>A closed silo (admin, operator and lab tokens configured): who may do what, over real HTTP.</summary>
public sealed class AccessTests(ClosedSiloFixture fixture) : IClassFixture<ClosedSiloFixture>
{
    private readonly AuthCalls _calls = new(fixture.Http);

    private static string Group() => "vm-auth" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task Calls_without_a_valid_token_get_401_on_every_kind_of_route_and_change_nothing()
    {
        var nobody = "nobody-" + Guid.NewGuid().ToString("N")[..6];
        (HttpMethod Method, string Path, JsonObject? Body, string? Cookie)[] calls =
        [
            (HttpMethod.Post, "/api/v1/jobs", new JsonObject { ["suite"] = "s", ["my_account"] = nobody, ["tbox_group"] = "vm-x" }, null),
            (HttpMethod.Get, "/api/v1/jobs", null, null),
            (HttpMethod.Get, "/api/v1/jobs/1", null, null),
            (HttpMethod.Post, "/api/v1/jobs/1/cancel", null, null),
            (HttpMethod.Post, "/api/v1/jobs/1/renew", new JsonObject { ["seconds"] = 60 }, null),
            (HttpMethod.Post, "/api/v1/jobs/1/stage", new JsonObject { ["stage"] = "running" }, null),
            (HttpMethod.Get, "/api/v1/jobs/1/secrets", null, null),
            (HttpMethod.Post, "/api/v1/testboxes/vm-x--0/consume", new JsonObject { ["wait_seconds"] = 0 }, null),
            (HttpMethod.Post, "/api/v1/testboxes/vm-x--0/heartbeat", null, null),
            (HttpMethod.Get, "/api/v1/queues", null, null),
            (HttpMethod.Post, "/api/v1/hosts/h1/release", null, null),
            (HttpMethod.Put, "/result/x/y.json", null, "JOBID=1"),
            (HttpMethod.Get, "/api/v1/accounts", null, null),
            (HttpMethod.Post, "/api/v1/accounts", new JsonObject { ["my_account"] = nobody, ["my_email"] = "e", ["my_name"] = "n" }, null),
        ];
        string?[] tokens = [null, "not-a-token-at-all-0123456789", "cci_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cjs_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"];
        foreach (var (method, path, body, cookie) in calls)
        {
            foreach (var token in tokens)
            {
                (await _calls.SendAsync(method, path, token, body, cookie)).Refused(HttpStatusCode.Unauthorized, "authorization", $"{method} {path} with {token ?? "no token"}");
            }

            (await _calls.SendAsync(method, path, null, body, cookie, rawAuthorization: "Basic dXNlcjpwYXNz")).Refused(HttpStatusCode.Unauthorized, "authorization", $"{method} {path} with Basic");
        }

        Assert.Equal(0, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE my_account = '{nobody}'"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM accounts WHERE my_account = '{nobody}'"));
        (await _calls.GetAsync("/healthz", null)).Is(HttpStatusCode.OK, "healthz is public");
        var ready = (await _calls.GetAsync("/readyz", null)).Is(HttpStatusCode.OK, "readyz is public").Json;
        Assert.StartsWith("closed", ready["auth"]!.GetValue<string>(), StringComparison.Ordinal);
        (await _calls.GetAsync("/openapi/v1.json", null)).Is(HttpStatusCode.OK, "the API description is public");
    }

    [Fact]
    public async Task Every_route_in_the_API_description_has_its_own_access_rule()
    {
        var document = (await _calls.GetAsync("/openapi/v1.json", null)).Is(HttpStatusCode.OK, "openapi").Json;
        var routes = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            // The description writes the result server's catch-all {**path} as {path}.
            .Select(r => r.Replace("/result/{path}", "/result/{**path}", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count > 30, $"only {routes.Count} routes in the description");
        var unlisted = routes.Where(r => !CompassCi.Api.Auth.AccessRules.IsListed(r[..r.IndexOf(' ', StringComparison.Ordinal)], r[(r.IndexOf(' ', StringComparison.Ordinal) + 1)..])).ToList();
        Assert.True(unlisted.Count == 0, "routes without a rule: " + string.Join(", ", unlisted));
    }

    [Fact]
    public async Task Another_account_may_not_cancel_renew_read_or_read_the_secrets_of_a_job_and_it_stays_as_it_was()
    {
        var (a, aToken) = await _calls.CreateAccountAsync(fixture.AdminToken);
        var (_, bToken) = await _calls.CreateAccountAsync(fixture.OperatorToken);
        var id = await _calls.SubmitAsync(aToken, a, Group(), new JsonObject { ["secrets"] = new JsonObject { ["password"] = "hunter2" } });
        var eventsBefore = (await _calls.GetAsync($"/api/v1/jobs/{id}/events", aToken)).Is(HttpStatusCode.OK, "owner reads events").Json["events"]!.AsArray().Count;

        (await _calls.PostAsync($"/api/v1/jobs/{id}/cancel", bToken)).Refused(HttpStatusCode.Forbidden, "id", "cancel by another account");
        (await _calls.PostAsync($"/api/v1/jobs/{id}/renew", bToken, new JsonObject { ["seconds"] = 60 })).Refused(HttpStatusCode.Forbidden, "id", "renew by another account");
        (await _calls.GetAsync($"/api/v1/jobs/{id}/secrets", bToken)).Refused(HttpStatusCode.Forbidden, "id", "secrets read by another account");
        (await _calls.GetAsync($"/api/v1/jobs/{id}", bToken)).Refused(HttpStatusCode.Forbidden, "id", "job read by another account");
        (await _calls.GetAsync($"/api/v1/jobs/{id}/events", bToken)).Refused(HttpStatusCode.Forbidden, "id", "events read by another account");
        (await _calls.PostAsync($"/api/v1/jobs/{id}/cancel", fixture.LabToken)).Refused(HttpStatusCode.Forbidden, "id", "cancel with a lab token");

        var job = (await _calls.GetAsync($"/api/v1/jobs/{id}", aToken)).Is(HttpStatusCode.OK, "owner reads the job").Json;
        Assert.Equal("submit", job["job_stage"]!.GetValue<string>());
        Assert.False(job["abort"]!.GetValue<bool>());
        Assert.Null(job["job_health"]);
        Assert.False(job.ContainsKey("secrets"), "a job read never shows its secrets");
        Assert.Equal(eventsBefore, (await _calls.GetAsync($"/api/v1/jobs/{id}/events", aToken)).Json["events"]!.AsArray().Count);

        var secrets = (await _calls.GetAsync($"/api/v1/jobs/{id}/secrets", aToken)).Is(HttpStatusCode.OK, "owner reads secrets").Json;
        Assert.Equal("hunter2", secrets["secrets"]!["password"]!.GetValue<string>());
        (await _calls.GetAsync($"/api/v1/jobs/{id}/secrets", fixture.OperatorToken)).Is(HttpStatusCode.OK, "an operator reads secrets");
        Assert.False((await _calls.GetAsync($"/api/v1/jobs/{id}", fixture.OperatorToken)).Json.ContainsKey("secrets"), "an operator's job read shows no secrets");

        (await _calls.PostAsync($"/api/v1/jobs/{id}/cancel", aToken)).Is(HttpStatusCode.OK, "the owner cancels");
        Assert.Equal("cancel", (await _calls.GetAsync($"/api/v1/jobs/{id}", aToken)).Json["job_health"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_account_submits_only_for_itself_by_header_or_by_my_token_and_lists_only_its_own_jobs()
    {
        var (a, aToken) = await _calls.CreateAccountAsync(fixture.AdminToken);
        var (b, bToken) = await _calls.CreateAccountAsync(fixture.AdminToken);
        var group = Group();
        await _calls.SubmitAsync(bToken, b, group);

        (await _calls.PostAsync("/api/v1/jobs", aToken, new JsonObject { ["suite"] = "s", ["my_account"] = b, ["tbox_group"] = group }))
            .Refused(HttpStatusCode.Forbidden, "my_account", "submit for another account");
        Assert.Equal(1, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE my_account = '{b}'"));

        // compass-ci's way: the token in the job, no header; my_account filled in when absent.
        var filled = (await _calls.PostAsync("/api/v1/jobs", null, new JsonObject { ["suite"] = "s", ["my_token"] = aToken, ["tbox_group"] = group }))
            .Is(HttpStatusCode.Created, "submit with my_token").Json;
        Assert.Equal(a, filled["my_account"]!.GetValue<string>());
        Assert.False(filled.ContainsKey("my_token"));
        var id = filled["id"]!.GetValue<string>();
        Assert.Equal(0, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE id = {id} AND JSON_EXISTS(jj, '$.my_token')"));
        (await _calls.PostAsync("/api/v1/jobs", null, new JsonObject { ["suite"] = "s", ["my_account"] = a, ["my_token"] = "cci_wrong", ["tbox_group"] = group }))
            .Refused(HttpStatusCode.Unauthorized, "authorization", "submit with a wrong my_token");
        (await _calls.PostAsync("/api/v1/jobs", null, new JsonObject { ["suite"] = "s", ["my_account"] = a, ["my_token"] = bToken, ["tbox_group"] = group }))
            .Refused(HttpStatusCode.Forbidden, "my_account", "submit with another account's my_token");
        (await _calls.PostAsync("/api/v1/jobs", fixture.LabToken, new JsonObject { ["suite"] = "s", ["my_account"] = a, ["tbox_group"] = group }))
            .Refused(HttpStatusCode.Forbidden, "authorization", "submit with a lab token");
        await _calls.SubmitAsync(fixture.AdminToken, b, group);

        var listed = (await _calls.GetAsync($"/api/v1/jobs?tbox_group={group}&my_account={b}", aToken)).Is(HttpStatusCode.OK, "list").Json["jobs"]!.AsArray();
        Assert.Equal([a], listed.Select(j => j!["my_account"]!.GetValue<string>()).Distinct());
        var all = (await _calls.GetAsync($"/api/v1/jobs?tbox_group={group}", fixture.LabToken)).Is(HttpStatusCode.OK, "lab lists all").Json["jobs"]!.AsArray();
        Assert.Equal(3, all.Count);
    }

    [Fact]
    public async Task A_lab_token_consumes_and_a_job_secret_acts_only_for_its_own_job_while_its_lease_lasts()
    {
        var (a, aToken) = await _calls.CreateAccountAsync(fixture.AdminToken);
        var group = Group();
        var first = await _calls.SubmitAsync(aToken, a, group, new JsonObject { ["secrets"] = new JsonObject { ["key"] = "v1" } });
        var second = await _calls.SubmitAsync(aToken, a, group);

        (await _calls.PostAsync($"/api/v1/testboxes/{group}--0/consume", aToken, new JsonObject { ["wait_seconds"] = 0 }))
            .Refused(HttpStatusCode.Forbidden, "authorization", "consume with an account token");
        var one = await _calls.ConsumeAsync(fixture.LabToken, $"{group}--0");
        var two = await _calls.ConsumeAsync(fixture.LabToken, $"{group}--1");
        var jobs = new[] { one, two }.ToDictionary(j => j["id"]!.GetValue<string>());
        Assert.Equal([first, second], jobs.Keys.Order());
        var firstSecret = jobs[first]["job_secret"]!.GetValue<string>();
        var secondSecret = jobs[second]["job_secret"]!.GetValue<string>();
        var firstBox = jobs[first]["testbox"]!.GetValue<string>();
        var secondBox = jobs[second]["testbox"]!.GetValue<string>();
        Assert.Equal("v1", jobs[first]["secrets"]!["key"]!.GetValue<string>());

        (await _calls.PostAsync($"/api/v1/jobs/{first}/stage", secondSecret, new JsonObject { ["stage"] = "running" }))
            .Refused(HttpStatusCode.Forbidden, "id", "stage with another job's secret");
        Assert.Equal("boot", (await _calls.GetAsync($"/api/v1/jobs/{first}", aToken)).Json["job_stage"]!.GetValue<string>());
        (await _calls.PostAsync($"/api/v1/jobs/{first}/stage", firstSecret, new JsonObject { ["stage"] = "running" })).Is(HttpStatusCode.OK, "stage with its own secret");
        Assert.Equal("running", (await _calls.GetAsync($"/api/v1/jobs/{first}", aToken)).Json["job_stage"]!.GetValue<string>());

        // Uploads into the job's result_root, as lkp sends them (cookie JOBID), with the job's secret.
        var root = (await _calls.GetAsync($"/api/v1/jobs/{first}", firstSecret)).Is(HttpStatusCode.OK, "a job reads itself").Json["result_root"]!.GetValue<string>();
        var stat = new JsonObject { ["x.y"] = new JsonArray(1, 2) };
        (await _calls.SendAsync(HttpMethod.Put, $"{root}/x.json", secondSecret, stat, cookie: $"JOBID={first}")).Refused(HttpStatusCode.Forbidden, "id", "upload with another job's secret");
        (await _calls.SendAsync(HttpMethod.Put, $"{root}/x.json", aToken, stat, cookie: $"JOBID={first}")).Refused(HttpStatusCode.Forbidden, "id", "upload with the owner's account token");
        Assert.False(File.Exists(Path.Combine(fixture.ResultsRoot, root.TrimStart('/'), "x.json")));
        (await _calls.SendAsync(HttpMethod.Put, $"{root}/x.json", firstSecret, stat, cookie: $"JOBID={first}")).Is(HttpStatusCode.Created, "upload with its own secret");

        (await _calls.GetAsync($"/api/v1/jobs/{first}/secrets", firstSecret)).Is(HttpStatusCode.OK, "a job reads its own secrets");
        (await _calls.GetAsync($"/api/v1/jobs/{first}/secrets", secondSecret)).Refused(HttpStatusCode.Forbidden, "id", "a job reads another's secrets");
        (await _calls.PostAsync($"/api/v1/testboxes/{firstBox}/heartbeat", firstSecret)).Is(HttpStatusCode.OK, "heartbeat of the box holding the job");
        (await _calls.PostAsync($"/api/v1/testboxes/{secondBox}/heartbeat", firstSecret)).Refused(HttpStatusCode.Forbidden, "authorization", "heartbeat of another box");
        (await _calls.PostAsync($"/api/v1/testboxes/{firstBox}/consume", firstSecret, new JsonObject { ["wait_seconds"] = 0 }))
            .Refused(HttpStatusCode.Forbidden, "authorization", "consume with a job secret");
        (await _calls.PostAsync($"/api/v1/jobs/{first}/renew", firstSecret, new JsonObject { ["seconds"] = 60 })).Is(HttpStatusCode.OK, "renew with its own secret");
        (await _calls.PostAsync($"/api/v1/jobs/{first}/finish", firstSecret, new JsonObject { ["health"] = "success" })).Is(HttpStatusCode.OK, "finish with its own secret");

        // The second job goes back to its queue: its lease ends, and its secret with it.
        (await _calls.PostAsync($"/api/v1/jobs/{second}/stage", secondSecret, new JsonObject { ["stage"] = "submit" })).Is(HttpStatusCode.OK, "give the job back");
        (await _calls.PostAsync($"/api/v1/jobs/{second}/stage", secondSecret, new JsonObject { ["stage"] = "running" }))
            .Refused(HttpStatusCode.Unauthorized, "authorization", "the secret of a lease that ended");
        var again = await _calls.ConsumeAsync(fixture.LabToken, $"{group}--2");
        Assert.NotEqual(secondSecret, again["job_secret"]!.GetValue<string>());
        (await _calls.PostAsync($"/api/v1/jobs/{second}/stage", again["job_secret"]!.GetValue<string>(), new JsonObject { ["stage"] = "running" })).Is(HttpStatusCode.OK, "the new lease's secret");
    }

    [Fact]
    public async Task A_disabled_account_gets_401_until_enabled_and_only_operators_administer_accounts()
    {
        var (a, aToken) = await _calls.CreateAccountAsync(fixture.OperatorToken);
        var (b, _) = await _calls.CreateAccountAsync(fixture.OperatorToken);
        (await _calls.GetAsync($"/api/v1/accounts/{a}", aToken)).Is(HttpStatusCode.OK, "an account reads itself");
        (await _calls.GetAsync($"/api/v1/accounts/{b}", aToken)).Refused(HttpStatusCode.Forbidden, "account", "an account reads another");
        (await _calls.SendAsync(HttpMethod.Patch, $"/api/v1/accounts/{a}", aToken, new JsonObject { ["shares"] = 100 })).Refused(HttpStatusCode.Forbidden, "authorization", "an account changes itself");
        (await _calls.PostAsync("/api/v1/accounts", fixture.LabToken, new JsonObject { ["my_account"] = "x", ["my_email"] = "e", ["my_name"] = "n" }))
            .Refused(HttpStatusCode.Forbidden, "authorization", "a lab token creates an account");
        (await _calls.PostAsync("/api/v1/accounts", fixture.OperatorToken, new JsonObject { ["my_account"] = a, ["my_email"] = "e", ["my_name"] = "n" }))
            .Refused(HttpStatusCode.Conflict, "my_account", "an account that exists");
        (await _calls.PostAsync("/api/v1/accounts", fixture.OperatorToken, new JsonObject { ["my_account"] = "a/b", ["my_name"] = 3, ["shares"] = 0, ["colour"] = "red" }))
            .Refused(HttpStatusCode.BadRequest, "my_account", "bad fields")
            .Refused(HttpStatusCode.BadRequest, "my_email", "bad fields")
            .Refused(HttpStatusCode.BadRequest, "my_name", "bad fields")
            .Refused(HttpStatusCode.BadRequest, "shares", "bad fields")
            .Refused(HttpStatusCode.BadRequest, "colour", "bad fields");
        (await _calls.PostAsync("/api/v1/accounts", fixture.OperatorToken, new JsonObject { ["my_account"] = new string('x', 129), ["my_email"] = "e", ["my_name"] = "n" }))
            .Refused(HttpStatusCode.BadRequest, "my_account", "a name longer than its column");
        (await _calls.SendAsync(HttpMethod.Patch, $"/api/v1/accounts/{a}", fixture.OperatorToken, new JsonObject { ["shares"] = 3, ["disabled"] = "yes" }))
            .Refused(HttpStatusCode.BadRequest, "disabled", "a bad flag");
        Assert.Equal(1, await Sql.ScalarAsync<int>(fixture.ConnectionString, $"SELECT shares FROM accounts WHERE my_account = '{a}'"));

        var patched = (await _calls.SendAsync(HttpMethod.Patch, $"/api/v1/accounts/{a}", fixture.OperatorToken, new JsonObject { ["shares"] = 3, ["running_limit"] = 5, ["disabled"] = true }))
            .Is(HttpStatusCode.OK, "disable").Json;
        Assert.Equal(3, patched["shares"]!.GetValue<int>());
        Assert.True(patched["disabled"]!.GetValue<bool>());
        (await _calls.GetAsync("/api/v1/jobs", aToken)).Refused(HttpStatusCode.Unauthorized, "authorization", "a disabled account");
        (await _calls.PostAsync("/api/v1/jobs", null, new JsonObject { ["suite"] = "s", ["my_account"] = a, ["my_token"] = aToken, ["tbox_group"] = Group() }))
            .Refused(HttpStatusCode.Unauthorized, "authorization", "a disabled account's my_token");

        (await _calls.SendAsync(HttpMethod.Patch, $"/api/v1/accounts/{a}", fixture.AdminToken, new JsonObject { ["disabled"] = false })).Is(HttpStatusCode.OK, "enable");
        (await _calls.GetAsync("/api/v1/jobs", aToken)).Is(HttpStatusCode.OK, "enabled again");
        var listed = (await _calls.GetAsync("/api/v1/accounts", fixture.OperatorToken)).Is(HttpStatusCode.OK, "list accounts").Json["accounts"]!.AsArray();
        Assert.Contains(listed, x => x!["my_account"]!.GetValue<string>() == a && x["running_limit"]!.GetValue<int>() == 5);
    }

    [Fact]
    public async Task No_token_or_secret_appears_in_any_answer_after_its_creation_nor_in_the_log()
    {
        var (a, firstToken) = await _calls.CreateAccountAsync(fixture.AdminToken);
        var group = Group();
        var id = await _calls.SubmitAsync(firstToken, a, group);
        (await _calls.PostAsync("/api/v1/jobs", null, new JsonObject { ["suite"] = "s", ["my_account"] = a, ["my_token"] = firstToken, ["tbox_group"] = group, ["priority"] = "high" }))
            .Is(HttpStatusCode.BadRequest, "a bad job with my_token");
        (await _calls.PostAsync("/api/v1/jobs", null, new JsonObject { ["suite"] = "s", ["my_account"] = a, ["my_token"] = firstToken + "x", ["tbox_group"] = group }))
            .Is(HttpStatusCode.Unauthorized, "a wrong my_token");
        var held = await _calls.ConsumeAsync(fixture.LabToken, $"{group}--0");
        var secret = held["job_secret"]!.GetValue<string>();
        (await _calls.PostAsync($"/api/v1/jobs/{id}/stage", secret, new JsonObject { ["stage"] = "running" })).Is(HttpStatusCode.OK, "stage");
        (await _calls.PostAsync($"/api/v1/jobs/{id}/stage", secret, new JsonObject { ["stage"] = "nonsense" })).Is(HttpStatusCode.BadRequest, "a bad stage");
        (await _calls.PostAsync($"/api/v1/testboxes/{group}--0/heartbeat", secret)).Is(HttpStatusCode.OK, "heartbeat");
        (await _calls.PostAsync($"/api/v1/jobs/{id}/finish", secret, new JsonObject { ["health"] = "success" })).Is(HttpStatusCode.OK, "finish");
        var rotated = (await _calls.PostAsync($"/api/v1/accounts/{a}/token", fixture.OperatorToken)).Is(HttpStatusCode.OK, "rotate").Json["my_token"]!.GetValue<string>();
        (await _calls.GetAsync("/api/v1/jobs", firstToken)).Is(HttpStatusCode.Unauthorized, "the rotated token");
        foreach (var path in new[] { $"/api/v1/jobs/{id}", $"/api/v1/jobs/{id}/events", $"/api/v1/jobs/{id}/secrets", "/api/v1/jobs", $"/api/v1/accounts/{a}", "/api/v1/testboxes", "/api/v1/queues" })
        {
            (await _calls.GetAsync(path, rotated)).Is(HttpStatusCode.OK, path);
            (await _calls.GetAsync(path, fixture.OperatorToken)).Is(HttpStatusCode.OK, path);
        }

        (await _calls.GetAsync("/api/v1/accounts", fixture.AdminToken)).Is(HttpStatusCode.OK, "accounts");
        (await _calls.SendAsync(HttpMethod.Patch, $"/api/v1/accounts/{a}", fixture.AdminToken, new JsonObject { ["my_name"] = "renamed" })).Is(HttpStatusCode.OK, "patch");

        string[] secrets = [firstToken, rotated, secret, fixture.AdminToken, fixture.OperatorToken, fixture.LabToken];
        // The answers that hand a secret out: the account's creation, its rotation, the consume (the job's secret).
        var handingOut = new[] { "POST /api/v1/accounts", $"POST /api/v1/accounts/{a}/token", $"POST /api/v1/testboxes/{group}--0/consume" };
        foreach (var (call, text) in _calls.Answers.Where(x => !handingOut.Contains(x.Call)))
        {
            foreach (var s in secrets)
            {
                Assert.False(text.Contains(s, StringComparison.Ordinal), $"a secret appears in the answer to {call}: {text}");
            }
        }

        var log = fixture.Silo.Log();
        Assert.Contains("Account " + a, log, StringComparison.Ordinal);
        foreach (var s in secrets)
        {
            Assert.False(log.Contains(s, StringComparison.Ordinal), "a secret appears in the silo's log");
        }
    }
}
