using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Auth;

/// <summary>A silo with nothing configured: open until the first account, closed for good after, across a restart.</summary>
public sealed class OpenModeTests(MariaDbFixture database)
{
    [Fact]
    public async Task Open_mode_takes_anonymous_calls_until_an_account_is_created_and_stays_closed_after_a_restart()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("open");
        var cluster = "open" + Guid.NewGuid().ToString("N")[..8];
        var account = "solo-" + Guid.NewGuid().ToString("N")[..6];
        var job = new JsonObject { ["suite"] = "s", ["my_account"] = account, ["tbox_group"] = "vm-open" };
        string token;
        await using (var silo = await SiloProcess.StartAsync(connectionString, cluster))
        await using (var other = await SiloProcess.StartAsync(connectionString, cluster))
        {
            using var http = silo.CreateClient();
            using var otherHttp = other.CreateClient();
            var calls = new AuthCalls(http);
            var otherCalls = new AuthCalls(otherHttp);
            (await otherCalls.GetAsync("/api/v1/queues", null)).Is(HttpStatusCode.OK, "anonymous read on the other silo while open");
            var ready = (await calls.GetAsync("/readyz", null)).Is(HttpStatusCode.OK, "readyz").Json;
            Assert.StartsWith("open", ready["auth"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("OPEN MODE", silo.Log(), StringComparison.Ordinal);
            (await calls.PostAsync("/api/v1/jobs", null, job)).Is(HttpStatusCode.Created, "anonymous submit in open mode");
            (await calls.GetAsync("/api/v1/accounts", null)).Is(HttpStatusCode.OK, "an operator call in open mode");

            token = (await calls.PostAsync("/api/v1/accounts", null, new JsonObject { ["my_account"] = account, ["my_email"] = "e@x", ["my_name"] = "solo" }))
                .Is(HttpStatusCode.Created, "the first account, created anonymously").Json["my_token"]!.GetValue<string>();

            // The silo that closed it flips at once.
            (await calls.PostAsync("/api/v1/jobs", null, job)).Refused(HttpStatusCode.Unauthorized, "authorization", "anonymous submit once closed");
            (await calls.GetAsync("/api/v1/queues", null)).Refused(HttpStatusCode.Unauthorized, "authorization", "anonymous read once closed");
            (await calls.PostAsync("/api/v1/jobs", token, job)).Is(HttpStatusCode.Created, "submit with the account's token");
            Assert.StartsWith("closed", (await calls.GetAsync("/readyz", null)).Json["auth"]!.GetValue<string>(), StringComparison.Ordinal);

            // The other silo learns it at its next read of the mode (every AccessMode.RecheckAfter while open).
            Assert.True(
                await Eventually.HoldsAsync(async () => (await otherCalls.GetAsync("/api/v1/queues", null)).Status == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15)),
                "the other silo still takes anonymous calls");
            await other.StopAsync();
            await silo.StopAsync();
        }

        await using (var again = await SiloProcess.StartAsync(connectionString, cluster))
        {
            using var http = again.CreateClient();
            var calls = new AuthCalls(http);
            Assert.StartsWith("closed", (await calls.GetAsync("/readyz", null)).Json["auth"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.DoesNotContain("OPEN MODE", again.Log(), StringComparison.Ordinal);
            (await calls.PostAsync("/api/v1/jobs", null, job)).Refused(HttpStatusCode.Unauthorized, "authorization", "anonymous submit after a restart");
            (await calls.PostAsync("/api/v1/accounts", null, new JsonObject { ["my_account"] = "late", ["my_email"] = "e", ["my_name"] = "n" }))
                .Refused(HttpStatusCode.Unauthorized, "authorization", "anonymous account creation after a restart");
            (await calls.PostAsync("/api/v1/jobs", token, job)).Is(HttpStatusCode.Created, "the token still works after a restart");
        }

        Assert.Equal(3, await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM jobs WHERE my_account = '{account}'"));
    }
}
