using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Auth;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Accounts;

/// <summary>A closed silo whose default queued-job limits are small enough to reach: soft 3, hard 5.</summary>
public sealed class SmallQuotaSilo(MariaDbFixture database) : SiloFixture(database)
{
    public string AdminToken { get; } = "admin-" + Guid.NewGuid().ToString("N");

    public string LabToken { get; } = "lab-" + Guid.NewGuid().ToString("N");

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Auth__AdminToken"] = AdminToken,
        ["CompassCi__Auth__LabTokens__0"] = LabToken,
        ["CompassCi__Quotas__QueuedSoftLimit"] = "3",
        ["CompassCi__Quotas__QueuedHardLimit"] = "5",
    };
}

/// <summary>
/// Queued-job quotas at submit: beyond the soft limit the answer carries a warning; at the hard limit the submit is
/// refused with 429 naming the limit and the count, and nothing is stored; other accounts are not affected; a job that
/// starts frees a place; an account's own limits, set through the account API, replace the defaults.
/// </summary>
public sealed class QuotaTests(SmallQuotaSilo silo) : IClassFixture<SmallQuotaSilo>
{
    [Fact]
    public async Task The_soft_limit_warns_and_the_hard_limit_refuses_with_429_naming_limit_and_count()
    {
        var calls = new AuthCalls(silo.Http);
        var (account, token) = await calls.CreateAccountAsync(silo.AdminToken, "quota");
        var (other, otherToken) = await calls.CreateAccountAsync(silo.AdminToken, "quota-other");
        var group = "vm-quota-" + Guid.NewGuid().ToString("N")[..6];
        var answers = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await calls.PostAsync("/api/v1/jobs", token, Job(group))).Is(HttpStatusCode.Created, $"submit {i + 1}").Json);
        }

        // Jobs 1–3 stay within the soft limit of 3; jobs 4 and 5 go beyond it and say so, with the count.
        for (var i = 0; i < 3; i++)
        {
            Assert.DoesNotContain(Warnings(answers[i]), w => w.Contains("soft limit", StringComparison.Ordinal));
        }

        Assert.Contains(Warnings(answers[3]), w => w.Contains($"account '{account}' now has 4 queued jobs, above its soft limit of 3", StringComparison.Ordinal));
        Assert.Contains(Warnings(answers[4]), w => w.Contains($"account '{account}' now has 5 queued jobs, above its soft limit of 3", StringComparison.Ordinal));

        // The sixth is refused: 429, Retry-After, the message names the account, the count and the limit; nothing stored.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = new StringContent(Job(group).ToJsonString(), System.Text.Encoding.UTF8, "application/json") })
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var refused = await silo.Http.SendAsync(request, TestContext.Current.CancellationToken);
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)refused.StatusCode} {problem?.ToJsonString()}");
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal(
                $"account '{account}' has 5 queued jobs; its hard limit is 5, so 1 more cannot be queued until some of them start or are cancelled",
                problem?["errors"]?["my_account"]?[0]?.GetValue<string>());
        }

        Assert.Equal(5, await Sql.ScalarAsync<long>(silo.ConnectionString, $"SELECT COUNT(*) FROM jobs WHERE my_account = '{account}'"));

        // Another account is not held back by this one's queue.
        (await calls.PostAsync("/api/v1/jobs", otherToken, Job(group))).Is(HttpStatusCode.Created, $"submit as {other}");

        // A job that starts is no longer queued: the account may submit one more.
        await calls.ConsumeAsync(silo.LabToken, $"{group}--1");
        (await calls.PostAsync("/api/v1/jobs", token, Job(group))).Is(HttpStatusCode.Created, "submit after one job started");
    }

    [Fact]
    public async Task An_accounts_own_limits_set_through_the_account_api_replace_the_defaults()
    {
        var calls = new AuthCalls(silo.Http);
        var account = "quota-own-" + Guid.NewGuid().ToString("N")[..6];
        var token = (await calls.PostAsync("/api/v1/accounts", silo.AdminToken, new JsonObject
        {
            ["my_account"] = account,
            ["my_email"] = $"{account}@example.org",
            ["my_name"] = account,
            ["queued_soft_limit"] = 1,
            ["queued_hard_limit"] = 2,
        })).Is(HttpStatusCode.Created, "create account with limits").Json["my_token"]!.GetValue<string>();
        var group = "vm-quota-" + Guid.NewGuid().ToString("N")[..6];

        var first = (await calls.PostAsync("/api/v1/jobs", token, Job(group))).Is(HttpStatusCode.Created, "first").Json;
        Assert.DoesNotContain(Warnings(first), w => w.Contains("soft limit", StringComparison.Ordinal));
        var second = (await calls.PostAsync("/api/v1/jobs", token, Job(group))).Is(HttpStatusCode.Created, "second").Json;
        Assert.Contains(Warnings(second), w => w.Contains("above its soft limit of 1", StringComparison.Ordinal));
        var third = (await calls.PostAsync("/api/v1/jobs", token, Job(group))).Refused(HttpStatusCode.TooManyRequests, "my_account", "third");
        Assert.Contains("its hard limit is 2", third.Json["errors"]!["my_account"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // Raising the account's hard limit takes effect for the next submit.
        (await calls.SendAsync(HttpMethod.Patch, $"/api/v1/accounts/{account}", silo.AdminToken, new JsonObject { ["queued_hard_limit"] = 3 }))
            .Is(HttpStatusCode.OK, "raise the hard limit");
        (await calls.PostAsync("/api/v1/jobs", token, Job(group))).Is(HttpStatusCode.Created, "third, after the limit was raised");
    }

    private static JsonObject Job(string group) => new() { ["suite"] = "quota", ["tbox_group"] = group };

    private static List<string> Warnings(JsonObject answer) =>
        answer["warnings"]?.AsArray().Select(w => w!.GetValue<string>()).ToList() ?? [];
}
