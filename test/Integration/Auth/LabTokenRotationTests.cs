using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Auth;

/// <summary>Lab tokens come from the configuration file as it is now: editing it rotates them without a restart.</summary>
public sealed class LabTokenRotationTests(MariaDbFixture database)
{
    [Fact]
    public async Task Editing_the_configuration_file_adds_and_retires_lab_tokens_without_a_restart()
    {
        var contentRoot = Directory.CreateTempSubdirectory("cci-auth-config-").FullName;
        try
        {
            var admin = "admin-" + Guid.NewGuid().ToString("N");
            var oldLab = "lab-old-" + Guid.NewGuid().ToString("N");
            var newLab = "lab-new-" + Guid.NewGuid().ToString("N");
            var settingsFile = Path.Combine(contentRoot, "appsettings.json");
            await WriteAsync(settingsFile, admin, [oldLab]);
            var connectionString = await database.CreateMigratedDatabaseAsync("labrotate");
            await using var silo = await SiloProcess.StartAsync(
                connectionString,
                "labrotate" + Guid.NewGuid().ToString("N")[..8],
                new Dictionary<string, string> { ["ASPNETCORE_CONTENTROOT"] = contentRoot, ["CompassCi__Results__Root"] = Path.Combine(contentRoot, "results") });
            using var http = silo.CreateClient();
            var calls = new AuthCalls(http);
            async Task<HttpStatusCode> ConsumeWith(string token) =>
                (await calls.PostAsync("/api/v1/testboxes/vm-labrotate--0/consume", token, new JsonObject { ["wait_seconds"] = 0 })).Status;

            Assert.Equal(HttpStatusCode.NoContent, await ConsumeWith(oldLab));
            Assert.Equal(HttpStatusCode.Unauthorized, await ConsumeWith(newLab));

            // Both while testboxes move over.
            await WriteAsync(settingsFile, admin, [oldLab, newLab]);
            Assert.True(await Eventually.HoldsAsync(async () => await ConsumeWith(newLab) == HttpStatusCode.NoContent, TimeSpan.FromSeconds(30)), "the added lab token was not taken");
            Assert.Equal(HttpStatusCode.NoContent, await ConsumeWith(oldLab));

            await WriteAsync(settingsFile, admin, [newLab]);
            Assert.True(await Eventually.HoldsAsync(async () => await ConsumeWith(oldLab) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30)), "the retired lab token still works");
            Assert.Equal(HttpStatusCode.NoContent, await ConsumeWith(newLab));
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    private static async Task WriteAsync(string path, string admin, string[] labTokens)
    {
        var settings = new JsonObject
        {
            ["CompassCi"] = new JsonObject
            {
                ["Auth"] = new JsonObject { ["AdminToken"] = admin, ["LabTokens"] = new JsonArray([.. labTokens.Select(t => (JsonNode)t)]) },
            },
        };
        // Written whole and moved into place, so the silo never reads half a file.
        var temporary = path + ".new";
        await File.WriteAllTextAsync(temporary, settings.ToJsonString(), TestContext.Current.CancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
