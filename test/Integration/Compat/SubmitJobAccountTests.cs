using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Auth;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>compass-ci's account check on <c>/submit_job</c> and <c>/cancel_jobs</c> once open mode has ended: by my_token and my_email.</summary>
public sealed class SubmitJobAccountTests(ClosedSiloFixture fixture) : IClassFixture<ClosedSiloFixture>
{
    private static readonly byte[] Cgz = [0x1f, 0x8b, 8, 0, 42];

    private Task<long> JobRowsAsync() => Sql.ScalarAsync<long>(fixture.ConnectionString, "SELECT COUNT(*) FROM jobs");

    private static JsonObject JobOf(string account, string token, string? email = null)
    {
        var job = CompatCalls.LkpJob(account, Cgz);
        job["my_token"] = token;
        job["my_email"] = email ?? $"{account}@example.org";
        return job;
    }

    [Theory]
    [InlineData("acct-wrong")]
    [InlineData("")]
    public async Task A_wrong_or_missing_token_gets_compass_cis_refusal_and_nothing_is_stored(string token)
    {
        var (account, _) = await new AuthCalls(fixture.Http).CreateAccountAsync(fixture.AdminToken);
        var before = await JobRowsAsync();

        var (status, text) = await CompatCalls.PostAsync(fixture.Http, "/submit_job", JobOf(account, token));

        Assert.Equal(HttpStatusCode.Accepted, status);
        var refusal = Assert.Single(JsonNode.Parse(text)!.AsArray())!;
        Assert.Equal("0", refusal["job_id"]!.GetValue<string>());
        Assert.StartsWith("Failed to verify the account.\nmy_token:", refusal["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await JobRowsAsync());
    }

    [Fact]
    public async Task Another_accounts_name_or_email_is_refused_and_nothing_is_stored()
    {
        var calls = new AuthCalls(fixture.Http);
        var (account, token) = await calls.CreateAccountAsync(fixture.AdminToken);
        var (other, _) = await calls.CreateAccountAsync(fixture.AdminToken);
        var before = await JobRowsAsync();

        var wrongAccount = await CompatCalls.PostAsync(fixture.Http, "/submit_job", JobOf(other, token, $"{account}@example.org"));
        var wrongEmail = await CompatCalls.PostAsync(fixture.Http, "/submit_job", JobOf(account, token, $"{other}@example.org"));

        Assert.Equal(HttpStatusCode.Accepted, wrongAccount.Status);
        Assert.Contains("my_account:", JsonNode.Parse(wrongAccount.Text)![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, wrongEmail.Status);
        Assert.Contains("my_email:", JsonNode.Parse(wrongEmail.Text)![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await JobRowsAsync());
    }

    [Fact]
    public async Task The_accounts_token_and_email_submit_and_cancel_only_its_own_jobs()
    {
        var calls = new AuthCalls(fixture.Http);
        var (account, token) = await calls.CreateAccountAsync(fixture.AdminToken);
        var (other, otherToken) = await calls.CreateAccountAsync(fixture.AdminToken);

        var (status, text) = await CompatCalls.PostAsync(fixture.Http, "/submit_job", JobOf(account, token));
        Assert.Equal(HttpStatusCode.OK, status);
        var id = JsonNode.Parse(text)![0]!["job_id"]!.GetValue<string>();
        Assert.Equal(account, await Sql.ScalarAsync<string>(fixture.ConnectionString, $"SELECT my_account FROM jobs WHERE id = {long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)}"));

        var byOther = await CompatCalls.PostAsync(fixture.Http, "/cancel_jobs", new JsonObject { ["my_account"] = other, ["my_email"] = $"{other}@example.org", ["my_token"] = otherToken, ["job_ids"] = new JsonArray(id) });
        var byStranger = await CompatCalls.PostAsync(fixture.Http, "/cancel_jobs", new JsonObject { ["my_account"] = account, ["my_token"] = "acct-nobody", ["job_ids"] = new JsonArray(id) });
        var byOwner = await CompatCalls.PostAsync(fixture.Http, "/cancel_jobs", new JsonObject { ["my_account"] = account, ["my_email"] = $"{account}@example.org", ["my_token"] = token, ["job_ids"] = new JsonArray(id) });

        Assert.Equal("forbidden", JsonNode.Parse(byOther.Text)!["results"]![0]!["result"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, byStranger.Status);
        Assert.StartsWith("Failed to verify the account.", JsonNode.Parse(byStranger.Text)!["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("success", JsonNode.Parse(byOwner.Text)!["results"]![0]!["result"]!.GetValue<string>());
        Assert.Equal("cancel", await Sql.ScalarAsync<string>(fixture.ConnectionString, $"SELECT job_health FROM jobs WHERE id = {long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)}"));
    }
}
