using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Auth;

/// <summary>Two silos of one cluster: a token rotated or an account disabled on one stops working at once on the other.</summary>
public sealed class TokenRotationTests(MariaDbFixture database)
{
    [Fact]
    public async Task A_token_rotated_or_disabled_on_one_silo_is_refused_at_once_on_the_other()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("rotate");
        var cluster = "rotate" + Guid.NewGuid().ToString("N")[..8];
        var admin = "admin-" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string> { ["CompassCi__Auth__AdminToken"] = admin };
        await using var siloA = await SiloProcess.StartAsync(connectionString, cluster, settings);
        await using var siloB = await SiloProcess.StartAsync(connectionString, cluster, settings);
        using var httpA = siloA.CreateClient();
        using var httpB = siloB.CreateClient();
        var onA = new AuthCalls(httpA);
        var onB = new AuthCalls(httpB);

        var (account, oldToken) = await onA.CreateAccountAsync(admin);
        // B has read and cached the token (through its grain) before the rotation.
        (await onB.GetAsync($"/api/v1/accounts/{account}", oldToken)).Is(HttpStatusCode.OK, "the token on silo B");
        await onB.SubmitAsync(oldToken, account, "vm-rotate");

        var newToken = (await onA.PostAsync($"/api/v1/accounts/{account}/token", admin)).Is(HttpStatusCode.OK, "rotate on silo A").Json["my_token"]!.GetValue<string>();
        (await onB.GetAsync($"/api/v1/accounts/{account}", oldToken)).Refused(HttpStatusCode.Unauthorized, "authorization", "the old token on silo B right after the rotation");
        (await onA.GetAsync($"/api/v1/accounts/{account}", oldToken)).Refused(HttpStatusCode.Unauthorized, "authorization", "the old token on silo A");
        (await onB.GetAsync($"/api/v1/accounts/{account}", newToken)).Is(HttpStatusCode.OK, "the new token on silo B");

        (await onA.SendAsync(HttpMethod.Patch, $"/api/v1/accounts/{account}", admin, new JsonObject { ["disabled"] = true })).Is(HttpStatusCode.OK, "disable on silo A");
        (await onB.GetAsync($"/api/v1/accounts/{account}", newToken)).Refused(HttpStatusCode.Unauthorized, "authorization", "a disabled account on silo B at once");
    }
}
