using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Auth;

namespace CompassCi.Tests.Integration.Cli;

/// <summary><c>cci</c> against a closed server (tenants on): a wrong token is exit 1 with the server's own message; the right one works.</summary>
public sealed class CciClosedServerTests(ClosedSiloFixture fixture) : IClassFixture<ClosedSiloFixture>, IDisposable
{
    private readonly CciHome _home = new();

    [Fact]
    public async Task AWrongTokenExits1WithTheServersMessageOnStderr()
    {
        const string wrong = "not-a-token";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", wrong);
        using var response = await fixture.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["error"]!.GetValue<string>();

        var result = await CciProcess.RunAsync(_home.Path, null, "--server", fixture.Silo.BaseAddress.ToString(), "--token", wrong, "jobs");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(message, result.Err);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task AnAccountsTokenFromTheEnvironmentListsItsJobs()
    {
        var calls = new AuthCalls(fixture.Http);
        var (account, token) = await calls.CreateAccountAsync(fixture.AdminToken, "cci");
        var id = await calls.SubmitAsync(token, account, "vm-cci-closed");
        var environment = new Dictionary<string, string> { ["CCI_SERVER"] = fixture.Silo.BaseAddress.ToString(), ["CCI_TOKEN"] = token };

        var result = await CciProcess.RunAsync(_home.Path, environment, "jobs", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([id], JsonNode.Parse(result.Out)!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
    }

    public void Dispose() => _home.Dispose();
}
