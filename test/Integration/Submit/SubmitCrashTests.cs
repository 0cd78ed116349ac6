using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Submit;

/// <summary>
/// A silo killed (SIGKILL, by a fail point) after a submit is stored and before it is answered: the client never hears,
/// sends the same submit again to the next silo, and gets the one job the first submit stored.
/// </summary>
public sealed class SubmitCrashTests(MariaDbFixture database)
{
    [Fact]
    public async Task A_submit_repeated_after_the_silo_died_before_answering_finds_the_job_it_stored()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("submitkill");
        var cluster = "sk" + Guid.NewGuid().ToString("N")[..6];
        var job = new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "bot", ["tbox_group"] = "vm-sk", ["submit_id"] = "build-981" };

        await using (var doomed = await SiloProcess.StartAsync(connectionString, cluster, new Dictionary<string, string> { ["CompassCi__FailPoints__KillAfterSubmitStored"] = "build-981" }))
        {
            using var http = doomed.CreateClient();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.PostAsync("/api/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken));
            Assert.Equal(137, await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("Fail point: killing this silo now: submit build-981 is stored", doomed.Log(), StringComparison.Ordinal);
        }

        var stored = await Sql.ScalarAsync<long>(connectionString, "SELECT job_id FROM submit_keys WHERE my_account = 'bot' AND submit_id = 'build-981'");
        await using var next = await SiloProcess.StartAsync(connectionString, cluster);
        using var client = next.CreateClient();
        using var again = await client.PostAsync("/api/v1/jobs", new StringContent(job.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var answer = JsonNode.Parse(await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(stored.ToString(System.Globalization.CultureInfo.InvariantCulture), answer["id"]!.GetValue<string>());
        Assert.Equal(1, await Sql.ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM jobs WHERE my_account = 'bot'"));
        // And the job is really there to run: the next silo's queue has it.
        var taken = await new SchedulerClient(client).ConsumeAsync("vm-sk--1", new Dictionary<string, string>(), 4, 10, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(answer["id"]!.GetValue<string>(), taken!["id"]!.GetValue<string>());
    }
}
