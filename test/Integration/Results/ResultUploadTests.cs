using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Fixtures;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Results;

/// <summary>
/// The WebDAV result server, as lkp-tests' own <c>lib/upload.sh</c> uses it, and what it refuses: each refusal has its
/// status and a message, and leaves nothing on disk.
/// </summary>
public sealed class ResultUploadTests(ResultSilo silo) : IClassFixture<ResultSilo>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lkp_tests_upload_files_uploads_files_a_tree_and_a_target_directory_that_are_served_back_byte_for_byte()
    {
        var lkp = LkpFixtures.RealTree();
        var (id, root) = await silo.ActiveJobAsync();
        var work = Directory.CreateTempSubdirectory("compassci-lkp-upload-").FullName;
        try
        {
            var files = new Dictionary<string, byte[]>
            {
                ["output"] = "ebizzy run\nIterations: 10\n"u8.ToArray(),
                ["ebizzy.json"] = """{"ebizzy.throughput": [1234, 1250]}"""u8.ToArray(),
                ["perf.data"] = RandomBytes(20_000),
                ["tree/top.txt"] = "top\n"u8.ToArray(),
                ["tree/a/one.txt"] = "one\n"u8.ToArray(),
                ["tree/a/b/two.bin"] = RandomBytes(3_000),
                ["extra.txt"] = "extra\n"u8.ToArray(),
            };
            foreach (var (name, bytes) in files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, name))!);
                await File.WriteAllBytesAsync(Path.Combine(work, name), bytes, Token);
            }

            var script = """
                . "$LKP_SRC/lib/upload.sh"
                cd "$WORK"
                upload_files output ebizzy.json perf.data || exit 11
                upload_files tree || exit 12
                upload_files -t sub/dir extra.txt || exit 13
                """;
            var (exit, log) = await BashAsync(script, new Dictionary<string, string>
            {
                ["LKP_SRC"] = lkp,
                ["LKP_SERVER"] = silo.WebDav.Host,
                ["RESULT_WEBDAV_PORT"] = silo.WebDav.Port.ToString(CultureInfo.InvariantCulture),
                ["JOB_RESULT_ROOT"] = root,
                ["id"] = id,
                ["WORK"] = work,
            });
            Assert.True(exit == 0, $"upload_files failed ({exit}): {log}");

            using var http = silo.CreateWebDavClient();
            var served = new Dictionary<string, string>
            {
                ["output"] = "output",
                ["ebizzy.json"] = "ebizzy.json",
                ["perf.data"] = "perf.data",
                ["tree/top.txt"] = "tree/top.txt",
                ["tree/a/one.txt"] = "tree/a/one.txt",
                ["tree/a/b/two.bin"] = "tree/a/b/two.bin",
                ["extra.txt"] = "sub/dir/extra.txt",
            };
            foreach (var (local, remote) in served)
            {
                using var response = await http.GetAsync($"{root}/{remote}", Token);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {root}/{remote}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
                Assert.Equal(files[local], await response.Content.ReadAsByteArrayAsync(Token));
            }

            var listing = JsonNode.Parse(await http.GetStringAsync($"{root}/", Token))!;
            Assert.Equal(root + "/", listing["path"]!.GetValue<string>());
            var entries = listing["entries"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["type"]!.GetValue<string>());
            Assert.Equal(["ebizzy.json", "output", "perf.data", "sub", "tree"], entries.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("collection", entries["tree"]);
            Assert.Equal("file", entries["perf.data"]);
            Assert.Equal("uploading", (await silo.JobAsync(id))["job_data_readiness"]?.GetValue<string>());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task A_put_creates_then_replaces_and_get_head_and_the_html_listing_serve_it()
    {
        var (id, root) = await silo.ActiveJobAsync();
        Assert.Null((await silo.JobAsync(id))["job_data_readiness"]?.GetValue<string>());

        var first = await silo.SendAsync("PUT", $"{root}/stdout", "first\n"u8.ToArray(), id);
        Assert.True(first.Status == 201, $"first PUT: {first.Outcome} {first.BodyText}");
        var second = await silo.SendAsync("PUT", $"{root}/stdout", "second\n"u8.ToArray(), id);
        Assert.True(second.Status == 204, $"second PUT: {second.Outcome} {second.BodyText}");
        Assert.Equal("uploading", (await silo.JobAsync(id))["job_data_readiness"]?.GetValue<string>());

        using var http = silo.CreateWebDavClient();
        using var get = await http.GetAsync($"{root}/stdout", Token);
        Assert.Equal("second\n", await get.Content.ReadAsStringAsync(Token));
        Assert.Equal("text/plain", get.Content.Headers.ContentType?.MediaType);

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{root}/stdout"), Token);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(7, head.Content.Headers.ContentLength);

        // The main port serves the same files.
        Assert.Equal("second\n", await silo.Http.GetStringAsync($"{root}/stdout", Token));

        using var page = new HttpRequestMessage(HttpMethod.Get, $"{root}/");
        page.Headers.Accept.ParseAdd("text/html");
        using var html = await http.SendAsync(page, Token);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<a href=\"stdout\">stdout</a>", await html.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_result_server()
    {
        var paths = JsonNode.Parse(await silo.Http.GetStringAsync("/openapi/v1.json", Token))!["paths"]!;

        var result = paths["/result/{path}"];
        Assert.NotNull(result);
        Assert.NotNull(result["put"]);
        Assert.NotNull(result["get"]);
    }

    [Fact]
    public async Task The_submit_answer_and_the_job_carry_result_root_and_all_params_md5_as_compass_ci_builds_them()
    {
        var (id, root, group) = await silo.SubmitAsync();
        var date = DateTime.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal($"/result/ebizzy/{date}/{group}/debian-12-x86_64/10s-4/{id}", root);
        var job = await silo.JobAsync(id);
        Assert.Equal(root, job["result_root"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", job["all_params_md5"]!.GetValue<string>());
        Assert.Equal(root, await Sql.ScalarAsync<string>(silo.ConnectionString, $"SELECT result_root FROM jobs WHERE id = {id}"));
        Assert.Equal(job["all_params_md5"]!.GetValue<string>(), await Sql.ScalarAsync<string>(silo.ConnectionString, $"SELECT all_params_md5 FROM jobs WHERE id = {id}"));
    }

    [Fact]
    public async Task An_upload_into_another_jobs_result_root_is_403_and_writes_nothing()
    {
        var (id, _) = await silo.ActiveJobAsync();
        var (_, otherRoot) = await silo.ActiveJobAsync();

        var answer = await silo.SendAsync("PUT", $"{otherRoot}/output", "x"u8.ToArray(), id);

        AssertProblem(answer, 403, "path", otherRoot, $"job {id}");
        Assert.False(Directory.Exists(silo.DiskPath(otherRoot)));
    }

    [Theory]
    [InlineData("/sub/../output", 400)]
    [InlineData("/%2e%2e/output", 400)]
    [InlineData("/%2E./output", 400)]
    [InlineData("/a%2Fb", 400)]
    [InlineData("/a%5Cb", 400)]
    [InlineData("/a%01b", 400)]
    [InlineData("/./output", 400)]
    public async Task A_path_with_dot_segments_or_escaped_separators_is_refused_and_writes_nothing(string tail, int status)
    {
        var (id, root) = await silo.ActiveJobAsync();

        var answer = await silo.SendAsync("PUT", root + tail, "x"u8.ToArray(), id);

        Assert.True(answer.Status == status, $"{tail}: {answer.Outcome} {answer.BodyText}");
        Assert.Contains("path", answer.BodyText, StringComparison.Ordinal);
        Assert.False(Directory.Exists(silo.DiskPath(root)), $"{tail} created {silo.DiskPath(root)}");
        Assert.False(File.Exists(silo.DiskPath(Path.GetDirectoryName(root)!) + "/output"));
    }

    [Fact]
    public async Task An_upload_without_the_cookie_is_403_naming_it_and_one_for_an_unknown_job_is_404()
    {
        var (_, root) = await silo.ActiveJobAsync();

        AssertProblem(await silo.SendAsync("PUT", $"{root}/output", "x"u8.ToArray()), 403, "JOBID");
        AssertProblem(await silo.SendAsync("MKCOL", $"{root}/sub/"), 403, "JOBID");
        AssertProblem(await silo.SendAsync("PUT", $"{root}/output", "x"u8.ToArray(), "999999999"), 404, "JOBID", "999999999");
        Assert.False(Directory.Exists(silo.DiskPath(root)));
    }

    [Fact]
    public async Task A_pending_job_and_a_job_finished_past_the_grace_may_not_upload_409()
    {
        var (pending, pendingRoot, _) = await silo.SubmitAsync();
        AssertProblem(await silo.SendAsync("PUT", $"{pendingRoot}/output", "x"u8.ToArray(), pending), 409, "JOBID", "'submit'");

        var (finished, finishedRoot) = await silo.ActiveJobAsync();
        var (status, body) = await silo.Client.PostAsync($"/api/v1/jobs/{finished}/finish", new JsonObject { ["health"] = "success" });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        AssertProblem(await silo.SendAsync("PUT", $"{finishedRoot}/output", "x"u8.ToArray(), finished), 409, "JOBID", "UploadGrace");
        AssertProblem(await silo.SendAsync("MKCOL", $"{finishedRoot}/late/", jobId: finished), 409, "JOBID", "finished at");

        Assert.False(Directory.Exists(silo.DiskPath(pendingRoot)));
        Assert.False(Directory.Exists(silo.DiskPath(finishedRoot)));
    }

    [Fact]
    public async Task A_file_over_the_per_file_limit_is_413_with_or_without_content_length_and_leaves_nothing()
    {
        var (id, root) = await silo.ActiveJobAsync();
        var big = RandomBytes((int)ResultSilo.MaxFileBytes + 1);

        AssertProblem(await silo.SendAsync("PUT", $"{root}/big", big, id), 413, "body", "MaxFileBytes");
        // Chunked: no length up front, so the limit stops the body while it streams in.
        AssertProblem(await silo.SendAsync("PUT", $"{root}/big", big, id, chunked: true), 413, "body", "MaxFileBytes");

        Assert.False(File.Exists(silo.DiskPath($"{root}/big")));
        Assert.Empty(Leftovers(root));
    }

    [Fact]
    public async Task A_file_that_would_take_the_job_past_its_limit_is_413_and_the_files_before_it_stay()
    {
        var (id, root) = await silo.ActiveJobAsync();
        var part = RandomBytes(60 * 1024);

        Assert.Equal(201, (await silo.SendAsync("PUT", $"{root}/one", part, id)).Status);
        Assert.Equal(201, (await silo.SendAsync("PUT", $"{root}/two", part, id)).Status);
        AssertProblem(await silo.SendAsync("PUT", $"{root}/three", part, id), 413, "body", "MaxJobBytes");
        // Replacing a file counts the new size instead of the old one.
        Assert.Equal(204, (await silo.SendAsync("PUT", $"{root}/two", part, id)).Status);

        Assert.False(File.Exists(silo.DiskPath($"{root}/three")));
        Assert.Equal(part, await File.ReadAllBytesAsync(silo.DiskPath($"{root}/one"), Token));
        Assert.Empty(Leftovers(root));
    }

    [Fact]
    public async Task A_put_into_a_missing_collection_is_409_and_mkcol_twice_is_405_and_mkcol_with_a_body_is_415()
    {
        var (id, root) = await silo.ActiveJobAsync();

        AssertProblem(await silo.SendAsync("PUT", $"{root}/missing/file", "x"u8.ToArray(), id), 409, "path", "MKCOL");
        Assert.False(Directory.Exists(silo.DiskPath($"{root}/missing")));

        var made = await silo.SendAsync("MKCOL", $"{root}/logs/", jobId: id);
        Assert.True(made.Status == 201, $"{made.Outcome} {made.BodyText}");
        Assert.True(Directory.Exists(silo.DiskPath($"{root}/logs")));
        AssertProblem(await silo.SendAsync("MKCOL", $"{root}/logs/", jobId: id), 405, "path", "already exists");

        AssertProblem(await silo.SendAsync("MKCOL", $"{root}/withbody/", "<x/>"u8.ToArray(), id), 415, "body");
        Assert.False(Directory.Exists(silo.DiskPath($"{root}/withbody")));

        // Inside the new collection a PUT works.
        Assert.Equal(201, (await silo.SendAsync("PUT", $"{root}/logs/file", "x"u8.ToArray(), id)).Status);
    }

    [Fact]
    public async Task A_symbolic_link_planted_in_the_results_folder_is_never_followed_403()
    {
        var (id, root) = await silo.ActiveJobAsync();
        Assert.Equal(201, (await silo.SendAsync("MKCOL", $"{root}/real/", jobId: id)).Status);
        var elsewhere = Directory.CreateTempSubdirectory("compassci-outside-").FullName;
        try
        {
            File.CreateSymbolicLink(silo.DiskPath($"{root}/link"), elsewhere);
            await File.WriteAllTextAsync(Path.Combine(elsewhere, "secret"), "secret", Token);

            AssertProblem(await silo.SendAsync("PUT", $"{root}/link/file", "x"u8.ToArray(), id), 403, "path", "symbolic link");
            AssertProblem(await silo.SendAsync("MKCOL", $"{root}/link/sub/", jobId: id), 403, "path", "symbolic link");
            AssertProblem(await silo.SendAsync("GET", $"{root}/link/secret"), 403, "path", "symbolic link");
            Assert.Equal(["secret"], Directory.GetFiles(elsewhere).Select(Path.GetFileName));

            // The listing does not show the link either.
            var listing = JsonNode.Parse((await silo.SendAsync("GET", $"{root}/")).BodyText)!;
            Assert.Equal(["real"], listing["entries"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_body_leaves_neither_the_file_nor_a_partial_one()
    {
        var (id, root) = await silo.ActiveJobAsync();
        Assert.Equal(201, (await silo.SendAsync("MKCOL", $"{root}/logs/", jobId: id)).Status);
        var folder = silo.DiskPath($"{root}/logs");

        // The head promises 1000 bytes that never come; the client gives up after a few seconds and closes.
        var stalled = silo.SendAsync("PUT", $"{root}/logs/partial", new byte[1000], id, SendMode.Stall, TimeSpan.FromSeconds(4));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Directory.GetFiles(folder).Length > 0), TimeSpan.FromSeconds(4)), "the upload never started");
        await stalled;

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Directory.GetFiles(folder).Length == 0), TimeSpan.FromSeconds(15)), $"left behind: {string.Join(", ", Directory.GetFiles(folder))}");
    }

    private string[] Leftovers(string root) =>
        Directory.Exists(silo.DiskPath(root)) ? Directory.GetFiles(silo.DiskPath(root), ".compassci-upload-*", SearchOption.AllDirectories) : [];

    private static void AssertProblem(RawAnswer answer, int status, string field, params string[] mentions)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer.Outcome}: {answer.BodyText}");
        var problem = JsonNode.Parse(answer.BodyText)!;
        var message = problem["errors"]?[field]?[0]?.GetValue<string>();
        Assert.True(message is not null, $"no message for '{field}' in {answer.BodyText}");
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, message, StringComparison.Ordinal);
        }
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task<(int Exit, string Log)> BashAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Token);
        var error = process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token);
        return (process.ExitCode, new StringBuilder().Append(await output).Append(await error).ToString());
    }
}
