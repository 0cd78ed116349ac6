using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Silo.Hosting;
using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Results;

/// <summary>
/// A silo with the WebDAV result server on a port of its own, a results folder in a fresh temporary directory, small
/// size limits (64 KiB a file, 160 KiB a job) and no upload grace after finish.
/// </summary>
public sealed class ResultSilo(MariaDbFixture database) : SiloFixture(database), IAsyncLifetime
{
    public const long MaxFileBytes = 64 * 1024;
    public const long MaxJobBytes = 160 * 1024;

    /// <summary>The WebDAV address (what lkp-tests calls LKP_SERVER:RESULT_WEBDAV_PORT).</summary>
    public Uri WebDav { get; } = new($"http://127.0.0.1:{FreePort.Pick().ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The results folder (<c>Results:Root</c>).</summary>
    public string ResultsRoot { get; } = Path.Combine(Path.GetTempPath(), "compassci-results-" + Guid.NewGuid().ToString("N")[..12]);

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Results__WebDavUrl"] = WebDav.ToString().TrimEnd('/'),
        ["CompassCi__Results__Root"] = ResultsRoot,
        ["CompassCi__Results__UploadGrace"] = "00:00:00",
        ["CompassCi__Results__MaxFileBytes"] = MaxFileBytes.ToString(CultureInfo.InvariantCulture),
        ["CompassCi__Results__MaxJobBytes"] = MaxJobBytes.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A client of the WebDAV address.</summary>
    public HttpClient CreateWebDavClient() => new() { BaseAddress = WebDav, Timeout = TimeSpan.FromMinutes(1) };

    /// <summary>Where a path under /result is kept on disk.</summary>
    public string DiskPath(string resultPath) => Path.Combine(ResultsRoot, resultPath.TrimStart('/'));

    /// <summary>Submits a job of a fresh tbox_group (pending). Answers its id and result_root.</summary>
    public async Task<(string Id, string ResultRoot, string Group)> SubmitAsync()
    {
        var group = "vm-up-" + Guid.NewGuid().ToString("N")[..8];
        var job = await Client.SubmitAsync(
            new JsonObject
            {
                ["suite"] = "ebizzy",
                ["my_account"] = "uploader",
                ["tbox_group"] = group,
                ["os"] = "debian",
                ["os_version"] = "12",
                ["arch"] = "x86_64",
                ["pp"] = new JsonObject { ["ebizzy"] = new JsonObject { ["duration"] = "10s", ["threads"] = 4 } },
            },
            TestContext.Current.CancellationToken);
        return (job["id"]!.GetValue<string>(), job["result_root"]!.GetValue<string>(), group);
    }

    /// <summary>A job taken by a testbox (stage boot): it may upload.</summary>
    public async Task<(string Id, string ResultRoot)> ActiveJobAsync()
    {
        var (id, root, group) = await SubmitAsync();
        var taken = await Client.ConsumeAsync($"{group}--0", new Dictionary<string, string> { ["arch"] = "x86_64" }, 4, 5, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(id, taken?["id"]?.GetValue<string>());
        return (id, root);
    }

    /// <summary>Sends a request with a raw target (no client library normalises it) to the WebDAV port.</summary>
    public Task<RawAnswer> SendAsync(string method, string target, byte[]? body = null, string? jobId = null, SendMode send = SendMode.Normal, TimeSpan? timeout = null, bool chunked = false)
    {
        body ??= [];
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {WebDav.Authority}\r\nConnection: close\r\n");
        if (jobId is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Cookie: JOBID={jobId}\r\n");
        }

        if (chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n");
            body = [.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8.ToArray()];
        }
        else if (body.Length > 0 || method is "PUT")
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        return RawHttp.SendAsync(WebDav, Encoding.ASCII.GetBytes(head.ToString()), body, new RawSend(method, timeout ?? TimeSpan.FromSeconds(30), send), TestContext.Current.CancellationToken);
    }

    /// <summary>The job as GET /api/v1/jobs/{id} answers it.</summary>
    public async Task<JsonObject> JobAsync(string id) =>
        (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}", TestContext.Current.CancellationToken))!;

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        if (Directory.Exists(ResultsRoot))
        {
            Directory.Delete(ResultsRoot, recursive: true);
        }
    }
}
