using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>
/// Requests broken below JSON — a malformed chunk, a body slower than the minimum data rate or shorter than its
/// Content-Length — get their 4xx with a message, in bounded time; before, each was a 500 (issue 11, finding 5).
/// And HEAD is served on every GET route, with the headers of its GET and no body (finding 8); before, 405.
/// </summary>
public sealed class RequestTransportTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    public static TheoryData<string> BodyRoutes => new()
    {
        "/api/v1/jobs",
        "/api/v1/jobs/1/stage",
        "/api/v1/testboxes/vm-raw--h1-0/consume",
        "/api/v1/testboxes/vm-raw--h1-0/heartbeat",
    };

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_chunk_size_that_is_not_hex_gets_400_naming_the_body(string path)
    {
        var before = await CountsAsync();
        var answer = await SendAsync(
            $"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
            "zz\r\n{\"suite\":\"a\"}\r\n0\r\n\r\n"u8.ToArray(),
            new RawSend("POST", TimeSpan.FromSeconds(30)));

        Assert.True(answer.Status == 400, $"expected 400, got: {answer.Outcome} {answer.BodyText}");
        Assert.Equal("body", FirstErrorField(answer));
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_body_that_never_comes_gets_408_within_seconds(string path)
    {
        var before = await CountsAsync();
        var answer = await SendAsync(
            $"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000",
            "{\"suite\":"u8.ToArray(),
            new RawSend("POST", TimeSpan.FromSeconds(30)));

        Assert.True(answer.Status == 408, $"expected 408, got after {answer.Elapsed}: {answer.Outcome} {answer.BodyText}");
        // Five seconds of grace at 240 bytes/s, then the verdict; the 30 s budget is far away.
        Assert.InRange(answer.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_body_trickled_a_byte_a_second_gets_408_before_it_is_sent()
    {
        var body = Encoding.ASCII.GetBytes("{\"suite\":\"slow\",\"my_account\":\"b\",\"padding\":\"" + new string('x', 60) + "\"}");
        var before = await CountsAsync();
        var answer = await SendAsync(
            $"POST /api/v1/jobs HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {body.Length}",
            body,
            new RawSend("POST", TimeSpan.FromSeconds(60), SendMode.Trickle, TrickleBytesPerSecond: 1));

        Assert.True(answer.Status == 408, $"expected 408, got after {answer.Elapsed}: {answer.Outcome} {answer.BodyText}");
        Assert.True(answer.Elapsed < TimeSpan.FromSeconds(body.Length), $"the answer came only after the whole body ({answer.Elapsed})");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task The_silo_serves_normally_after_broken_requests()
    {
        await A_chunk_size_that_is_not_hex_gets_400_naming_the_body("/api/v1/jobs");
        using var ready = await fixture.Http.GetAsync("/readyz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var job = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "after-raw", ["my_account"] = "b" }, TestContext.Current.CancellationToken);
        Assert.NotNull(job["id"]);
    }

    public static TheoryData<string> GetRoutes => new()
    {
        "/healthz",
        "/readyz",
        "/api/v1/jobs",
        "/api/v1/jobs?suite=head",
        "/api/v1/queues",
        "/api/v1/testboxes",
        "/api/v1/hosts",
        "/api/v1/stats/crashes",
        "/openapi/v1.json",
        "/api/v1/jobs/999999999",
        "/api/v1/hosts/unknown-host",
    };

    [Theory]
    [MemberData(nameof(GetRoutes))]
    public async Task HEAD_answers_what_GET_answers_without_the_body(string path)
    {
        using var get = await fixture.Http.GetAsync(path, TestContext.Current.CancellationToken);
        using var head = await fixture.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), TestContext.Current.CancellationToken);

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.True(head.Content.Headers.ContentLength > 0, $"HEAD {path} has no Content-Length");
    }

    [Fact]
    public async Task HEAD_on_a_cluster_watch_answers_at_once()
    {
        // A GET of the watch streams until the cluster ends; its HEAD must not.
        using var head = await fixture.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/clusters/999999999/watch"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    private Task<RawAnswer> SendAsync(string head, byte[] body, RawSend how) =>
        RawHttp.SendAsync(fixture.Silo.BaseAddress, Encoding.ASCII.GetBytes(head + "\r\n\r\n"), body, how, TestContext.Current.CancellationToken);

    private static string? FirstErrorField(RawAnswer answer) =>
        JsonNode.Parse(answer.BodyText)?["errors"] is JsonObject errors ? errors.Select(e => e.Key).FirstOrDefault() : null;

    private async Task<string> CountsAsync() =>
        (await Sql.RowsAsync(
            fixture.ConnectionString,
            "SELECT (SELECT COUNT(*) FROM jobs) AS jobs, (SELECT COUNT(*) FROM testboxes) AS testboxes, (SELECT COUNT(*) FROM job_effects) AS effects"))[0];
}
