using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Results;

/// <summary>
/// Drives a job the way a testbox does for the results tests: submit, take it, upload a fixture result folder over
/// WebDAV (PUT with the JOBID cookie, as lkp's upload.sh does), end it; then wait for its results pipeline to end.
/// </summary>
internal sealed class ResultsJobs(SiloProcess silo, HttpClient http, string connectionString)
{
    public static string FixtureFolder(string name) => Path.Combine(RepoPaths.Root, "test", "Fixtures", "lkp", "results", name);

    private SchedulerClient Client => new(http);

    /// <summary>Submits and takes a job of <paramref name="suite"/>; answers its id and result_root.</summary>
    public async Task<(string Id, string ResultRoot)> StartAsync(string suite, string account, string tboxGroup, JsonObject? pp = null)
    {
        var job = new JsonObject { ["suite"] = suite, ["my_account"] = account, ["tbox_group"] = tboxGroup, ["os"] = "openeuler", ["os_version"] = "24.03", ["os_arch"] = "aarch64" };
        if (pp is not null)
        {
            job["pp"] = pp;
        }

        var submitted = await Client.SubmitAsync(job, TestContext.Current.CancellationToken);
        var id = submitted["id"]!.GetValue<string>();
        // The testbox offers what the job asks for (its queue key's tags, an arch among them), beyond its group.
        var tags = submitted["queue_key"]!.GetValue<string>().Split(',').Select(t => t.Split('=', 2))
            .Where(t => t[0] is not ("tbox_group" or "testbox")).ToDictionary(t => t[0], t => t[1]);
        var taken = await Client.ConsumeAsync($"{tboxGroup}--{Guid.NewGuid().ToString("N")[..6]}", tags, 64, 10, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(id, taken?["id"]?.GetValue<string>());
        var resultRoot = (await Client.GetJobAsync(id))!["result_root"]!.GetValue<string>();
        Assert.EndsWith("/" + id, resultRoot, StringComparison.Ordinal);
        return (id, resultRoot);
    }

    /// <summary>PUTs every file of the fixture folder into the job's result_root.</summary>
    public async Task UploadAsync(string id, string resultRoot, string fixture)
    {
        foreach (var file in Directory.EnumerateFiles(FixtureFolder(fixture), "*.json"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"{resultRoot}/{Path.GetFileName(file)}") { Content = new ByteArrayContent(await File.ReadAllBytesAsync(file)) };
            request.Headers.Add("Cookie", $"JOBID={id}");
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.NoContent, $"PUT {file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Ends the job as its testbox would: health, and a crash classification when given.</summary>
    public async Task FinishAsync(string id, string health = "success", JsonObject? crash = null)
    {
        var body = new JsonObject { ["health"] = health };
        if (crash is not null)
        {
            body["crash"] = crash;
        }

        var (status, answer) = await Client.PostAsync($"/api/v1/jobs/{id}/finish", body);
        Assert.True(status == HttpStatusCode.OK, $"finish: {(int)status} {answer?.ToJsonString()}");
    }

    /// <summary>Waits until the job's pipeline ended (its extract effect done); fails the test with the silo's log if it does not.</summary>
    public async Task WaitForPipelineAsync(string id, TimeSpan? within = null) =>
        Assert.True(
            await Eventually.HoldsAsync(async () => await Sql.ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM job_effects WHERE job_id = {id} AND kind = 'extract' AND done_at IS NOT NULL") == 1, within ?? TimeSpan.FromSeconds(60)),
            $"the results pipeline of job {id} did not end:\n" + string.Join('\n', await Sql.RowsAsync(connectionString, $"SELECT * FROM result_steps WHERE job_id = {id}")) + "\n" + silo.Log());

    public async Task<JsonObject> StatsAsync(string id) =>
        (JsonObject)JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs/{id}/stats"))!;

    /// <summary>The job's events named <paramref name="name"/>.</summary>
    public async Task<List<JsonNode>> EventsAsync(string id, string name) =>
        [.. ((JsonNode.Parse(await http.GetStringAsync($"/api/v1/jobs/{id}/events"))!["events"] as JsonArray)!).Where(e => e?["event"]?.GetValue<string>() == name).Select(e => e!)];
}
