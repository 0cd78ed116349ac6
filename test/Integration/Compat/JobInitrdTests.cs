using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.JobInitrd;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>A silo whose token key is known to the test, so that it can compute job.cgz paths as the boot routes do.</summary>
public sealed class JobInitrdSilo(MariaDbFixture database) : SiloFixture(database)
{
    public const string TokenKey = "job-initrd-tests-token-key-0123456789";

    public static byte[] Key => Encoding.UTF8.GetBytes(TokenKey);

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Auth__TokenKey"] = TokenKey,
    };
}

/// <summary>
/// <c>GET /job_initrd_tmpfs/{id}/{token}/job.cgz</c> on a real silo: a held job's initrd, the same bytes on every fetch,
/// unpacked with gzip and cpio and its job.sh sourced in bash; 403 for anything but the token of a job held now.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // unpacked with the system's gzip and cpio
public sealed class JobInitrdTests(JobInitrdSilo fixture) : IClassFixture<JobInitrdSilo>
{
    private async Task<(string Id, string Testbox, string LeaseId)> HeldJobAsync(JsonObject? extra = null)
    {
        var tbox = "vm-cgz-" + Guid.NewGuid().ToString("N")[..6];
        var job = new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "a", ["tbox_group"] = tbox, ["secrets"] = new JsonObject { ["db_password"] = "pa55" } };
        foreach (var (k, v) in extra ?? [])
        {
            job[k] = v?.DeepClone();
        }

        var id = (await fixture.Client.SubmitAsync(job, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        var testbox = tbox + "--0";
        var leaseId = "req-" + Guid.NewGuid().ToString("N");
        var taken = await fixture.Client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 0, leaseId, TestContext.Current.CancellationToken);
        Assert.Equal(id, taken!["id"]!.GetValue<string>());
        return (id, testbox, leaseId);
    }

    private async Task<(HttpStatusCode Status, byte[] Body, string? ContentType)> GetAsync(string path)
    {
        using var response = await fixture.Http.GetAsync(path, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), response.Content.Headers.ContentType?.MediaType);
    }

    private static string CgzPath(string id, string leaseId) => JobInitrdToken.Path(JobInitrdSilo.Key, long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), leaseId);

    [Fact]
    public async Task A_held_job_gets_the_same_job_cgz_every_time_and_its_job_sh_exports_the_job()
    {
        var (id, testbox, leaseId) = await HeldJobAsync(new JsonObject
        {
            ["job2sh"] = new JsonObject { ["run_job"] = new JsonArray("run_job()", "{", null, "\techo ran:$id", "}\n\n") },
        });
        var path = CgzPath(id, leaseId);

        var (status, first, contentType) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, Encoding.UTF8.GetString(first));
        Assert.Equal("application/octet-stream", contentType);
        var (againStatus, again, _) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(first, again);

        // Still the same bytes after the testbox confirmed the job (running changes the job, not its initrd).
        var (runningStatus, _) = await fixture.Client.PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "running", ["testbox"] = testbox });
        Assert.Equal(HttpStatusCode.OK, runningStatus);
        Assert.Equal(first, (await GetAsync(path)).Body);

        using var head = await fixture.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(first.Length, head.Content.Headers.ContentLength);

        var job = await fixture.Client.GetJobAsync(id);
        Fixtures.SystemTools.Require("cpio");
        var dir = Path.Combine(Path.GetTempPath(), "cci-cgz-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, "job.cgz"), first, TestContext.Current.CancellationToken);
            var (exit, output, error) = await BashAsync(
                "gzip -dc job.cgz | cpio -idm --quiet && cd lkp/scheduled && . ./job.sh && export_top_env && bash -c 'printf \"%s\\n\" \"$id\" \"$result_root\" \"$LKP_SERVER\" \"$LKP_CGI_PORT\" \"$testbox\"' && sh ./job.sh run_job && cat secrets.yaml",
                dir);
            Assert.True(exit == 0, error);
            Assert.Equal(
                $"{id}\n{job!["result_root"]!.GetValue<string>()}\n{fixture.Silo.BaseAddress.Host}\n{fixture.Silo.BaseAddress.Port}\n{testbox}\nran:{id}\n",
                output[..output.IndexOf("job_secret", StringComparison.Ordinal)]);
            Assert.Contains("\ndb_password: pa55\n", output, StringComparison.Ordinal);
            Assert.Equal(["job.cgz", "lkp", "lkp/scheduled", "lkp/scheduled/job.sh", "lkp/scheduled/job.yaml", "lkp/scheduled/secrets.yaml"],
                Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(dir, p)).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_job_secret_in_secrets_yaml_is_the_one_the_consume_answer_gave()
    {
        var tbox = "vm-cgz-" + Guid.NewGuid().ToString("N")[..6];
        var id = (await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "a", ["tbox_group"] = tbox }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        var leaseId = "req-" + Guid.NewGuid().ToString("N");
        var taken = await fixture.Client.ConsumeAsync(tbox + "--0", new Dictionary<string, string>(), 4, 0, leaseId, TestContext.Current.CancellationToken);
        var (status, cgz, _) = await GetAsync(CgzPath(id, leaseId));
        Assert.Equal(HttpStatusCode.OK, status);

        using var packed = new MemoryStream(cgz);
        using var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionMode.Decompress);
        using var cpio = new MemoryStream();
        await gzip.CopyToAsync(cpio, TestContext.Current.CancellationToken);
        Assert.Contains($"job_secret: {taken!["job_secret"]!.GetValue<string>()}\n", Encoding.UTF8.GetString(cpio.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_another_jobs_token_an_unknown_id_and_the_url_without_token_get_403()
    {
        var (id, _, leaseId) = await HeldJobAsync();
        var (other, _, otherLease) = await HeldJobAsync();

        var wrongToken = $"/job_initrd_tmpfs/{id}/{JobInitrdToken.Of(JobInitrdSilo.Key, long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), "another-lease")}/job.cgz";
        var otherJobsToken = $"/job_initrd_tmpfs/{id}/{JobInitrdToken.Of(JobInitrdSilo.Key, long.Parse(other, System.Globalization.CultureInfo.InvariantCulture), otherLease)}/job.cgz";
        var unknownId = CgzPath("999999999999", leaseId);
        foreach (var path in new[] { wrongToken, otherJobsToken, unknownId, $"/job_initrd_tmpfs/{id}/not-a-token/job.cgz" })
        {
            var (status, body, _) = await GetAsync(path);
            Assert.True(status == HttpStatusCode.Forbidden, $"{path}: {(int)status}");
            NamesToken(body);
        }

        // An unknown id answers exactly as a known one with a wrong token: nothing tells which ids exist.
        Assert.Equal(
            (await ErrorAsync(wrongToken)).Replace(id, "<id>", StringComparison.Ordinal),
            (await ErrorAsync(unknownId)).Replace("999999999999", "<id>", StringComparison.Ordinal));

        var (bare, bareBody, _) = await GetAsync($"/job_initrd_tmpfs/{id}/job.cgz");
        Assert.Equal(HttpStatusCode.Forbidden, bare);
        NamesToken(bareBody);
        Assert.Contains("token segment", Encoding.UTF8.GetString(bareBody), StringComparison.Ordinal);

        // The right paths still work: the refusals changed nothing.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(CgzPath(id, leaseId))).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(CgzPath(other, otherLease))).Status);
    }

    [Fact]
    public async Task After_the_job_finishes_its_job_cgz_is_403()
    {
        var (id, testbox, leaseId) = await HeldJobAsync();
        var path = CgzPath(id, leaseId);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(path)).Status);

        var (finished, _) = await fixture.Client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success", ["testbox"] = testbox });
        Assert.Equal(HttpStatusCode.OK, finished);

        var (status, body, _) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        NamesToken(body);
    }

    [Fact]
    public async Task A_pending_job_has_no_job_cgz()
    {
        var id = (await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "ebizzy", ["my_account"] = "a", ["tbox_group"] = "vm-cgz-none-" + Guid.NewGuid().ToString("N")[..6] }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        var (status, body, _) = await GetAsync(CgzPath(id, "any-lease"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        NamesToken(body);
    }

    private async Task<string> ErrorAsync(string path) => JsonNode.Parse((await GetAsync(path)).Body)!["error"]!.GetValue<string>();

    /// <summary>A problem body whose errors name <c>token</c>.</summary>
    private static void NamesToken(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        Assert.True(JsonNode.Parse(text)?["errors"]?["token"] is JsonArray { Count: > 0 }, text);
    }

    private static async Task<(int Exit, string Output, string Error)> BashAsync(string script, string dir)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
