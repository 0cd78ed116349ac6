using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary>A silo exporting its traces over OTLP (http/protobuf) to a receiver this test hosts.</summary>
public sealed class TracingSiloFixture(MariaDbFixture database) : IAsyncLifetime
{
    private SiloProcess? _silo;

    public OtlpReceiver Receiver { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("traces");
        _silo = await SiloProcess.StartAsync(connectionString, "traces" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Spans leave the silo a fifth of a second after they end, not five seconds.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "600000",
        });
        Http = _silo.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Receiver.Dispose();
    }
}

/// <summary>
/// A submit's and a consume's trace, as a collector receives them from a real silo: the REST server span, the grain
/// calls under it, and the database statements under those, all one trace joined by parent ids.
/// </summary>
public sealed class TracingTests(TracingSiloFixture fixture) : IClassFixture<TracingSiloFixture>
{
    private const string AspNetCore = "Microsoft.AspNetCore";
    private const string OrleansApplication = "Microsoft.Orleans.Application";
    private const string MySqlConnector = "MySqlConnector";
    private const string CompassCi = "CompassCi";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_submit_is_one_trace_from_its_REST_span_through_grain_calls_to_the_statements_that_store_it()
    {
        var group = "vm-trc" + Guid.NewGuid().ToString("N")[..6];
        var (traceId, callerSpan) = NewTraceParent();

        using var response = await SendAsync(HttpMethod.Post, "/api/v1/jobs", new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, traceId, callerSpan);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var trace = await WholeTraceAsync(traceId, "/api/v1/jobs");
        var server = ServerSpan(trace, "/api/v1/jobs");
        Assert.Equal(callerSpan, server.ParentSpanId);
        var grainCalls = trace.Where(s => s.Scope == OrleansApplication).ToList();
        Assert.NotEmpty(grainCalls);
        Assert.All(grainCalls, call => Assert.True(IsUnder(call, server, trace), $"grain span {call.Name} is not under the REST span\n{Dump(trace)}"));
        // The job's row is written by the shared commit, on the committer's own loop: its statements still hang under
        // the commit span, under this submit's write, under the REST span.
        var commit = Assert.Single(trace, s => s.Scope == CompassCi && s.Name == "compassci.db.group_commit");
        var write = Assert.Single(trace, s => s.SpanId == commit.ParentSpanId);
        Assert.Equal("compassci.db.write", write.Name);
        Assert.True(IsUnder(write, server, trace), $"the write is not under the REST span\n{Dump(trace)}");
        Assert.Contains(trace, s => s.Scope == MySqlConnector && s.Name == "Execute" && IsUnder(s, commit, trace));
        // Every statement of the submit (its reads too) is in this trace, under the REST span.
        var statements = trace.Where(s => s.Scope == MySqlConnector).ToList();
        Assert.All(statements, statement => Assert.True(IsUnder(statement, server, trace), $"{statement.SpanId} is not under the REST span\n{Dump(trace)}"));
    }

    [Fact]
    public async Task A_consume_is_one_trace_and_its_long_poll_wait_is_a_span_that_says_it_ended_with_a_job()
    {
        var group = "vm-trc" + Guid.NewGuid().ToString("N")[..6];
        var testbox = group + "--0";
        var (traceId, callerSpan) = NewTraceParent();
        // The group's queue exists (a job went through it), so the waiting consume's first look is a claim on it.
        using (var first = await SendAsync(HttpMethod.Post, "/api/v1/jobs", new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, null, null))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using (var taken = await SendAsync(HttpMethod.Post, $"/api/v1/testboxes/{group}--1/consume", new JsonObject { ["wait_seconds"] = 5 }, null, null))
        {
            Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        }

        var consume = SendAsync(HttpMethod.Post, $"/api/v1/testboxes/{testbox}/consume", new JsonObject { ["wait_seconds"] = 60 }, traceId, callerSpan);
        // The consume found nothing (its claim call has ended and been exported) and now waits: the job arrives during the wait.
        Assert.True(
            await Eventually.HoldsAsync(() => Task.FromResult(fixture.Receiver.Trace(traceId).Any(s => s.Scope == OrleansApplication && s.Name.EndsWith("/Claim", StringComparison.Ordinal))), TimeSpan.FromSeconds(30)),
            $"the consume's first claim never showed\n{Dump(fixture.Receiver.Trace(traceId))}");
        using (var submitted = await SendAsync(HttpMethod.Post, "/api/v1/jobs", new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, null, null))
        {
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }

        using var response = await consume;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jobId = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();

        var trace = await WholeTraceAsync(traceId, $"/api/v1/testboxes/{testbox}/consume");
        var server = ServerSpan(trace, $"/api/v1/testboxes/{testbox}/consume");
        Assert.Equal(callerSpan, server.ParentSpanId);
        var wait = Assert.Single(trace, s => s.Name == "compassci.consume.wait");
        Assert.True(IsUnder(wait, server, trace), $"the wait is not under the REST span\n{Dump(trace)}");
        Assert.Equal("job", wait.Attribute("compassci.outcome"));
        Assert.Equal(jobId, wait.Attribute("compassci.job_id"));
        Assert.Equal(testbox, wait.Attribute("compassci.testbox"));
        // The claim that took the job: a grain call whose database statements (the assignment) are in this trace.
        var claims = trace.Where(s => s.Scope == OrleansApplication && s.Name.EndsWith("/Claim", StringComparison.Ordinal)).ToList();
        Assert.True(claims.Count >= 2, $"expected the first claim and the one after the wait\n{Dump(trace)}");
        Assert.All(claims, claim => Assert.True(IsUnder(claim, server, trace), $"{claim.Name} is not under the REST span\n{Dump(trace)}"));
        var statements = trace.Where(s => s.Scope == MySqlConnector).ToList();
        Assert.True(statements.Any(s => IsUnder(s, wait, trace) && claims.Any(c => IsUnder(s, c, trace))), $"no database statement under the claim that ended the wait\n{Dump(trace)}");
    }

    [Fact]
    public async Task A_stage_change_and_a_finish_are_each_one_trace_down_to_the_commit_that_lands_them()
    {
        var group = "vm-trc" + Guid.NewGuid().ToString("N")[..6];
        using (var submitted = await SendAsync(HttpMethod.Post, "/api/v1/jobs", new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, null, null))
        {
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }

        string jobId;
        using (var taken = await SendAsync(HttpMethod.Post, $"/api/v1/testboxes/{group}--0/consume", new JsonObject { ["wait_seconds"] = 5 }, null, null))
        {
            Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
            jobId = JsonNode.Parse(await taken.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        }

        foreach (var (path, body) in new[]
        {
            ($"/api/v1/jobs/{jobId}/stage", new JsonObject { ["stage"] = "running" }),
            ($"/api/v1/jobs/{jobId}/finish", new JsonObject { ["health"] = "success" }),
        })
        {
            var (traceId, callerSpan) = NewTraceParent();
            using (var response = await SendAsync(HttpMethod.Post, path, body, traceId, callerSpan))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var trace = await WholeTraceAsync(traceId, path);
            var server = ServerSpan(trace, path);
            Assert.Equal(callerSpan, server.ParentSpanId);
            var grainCalls = trace.Where(s => s.Scope == OrleansApplication && IsUnder(s, server, trace)).ToList();
            Assert.True(grainCalls.Count > 0, $"{path}: no grain call under the REST span\n{Dump(trace)}");
            // The change lands through the shared commit; its statements are in this trace, under a grain call.
            Assert.True(
                trace.Any(s => s.Scope == MySqlConnector && s.Name == "Execute" && grainCalls.Any(call => IsUnder(s, call, trace))
                    && trace.Any(c => c.Name == "compassci.db.group_commit" && IsUnder(s, c, trace))),
                $"{path}: no committed statement under a grain call\n{Dump(trace)}");
        }
    }

    [Fact]
    public async Task A_consume_that_finds_nothing_ends_its_wait_span_with_outcome_none()
    {
        var testbox = "vm-trc" + Guid.NewGuid().ToString("N")[..6] + "--0";
        var (traceId, callerSpan) = NewTraceParent();

        using var response = await SendAsync(HttpMethod.Post, $"/api/v1/testboxes/{testbox}/consume", new JsonObject { ["wait_seconds"] = 1 }, traceId, callerSpan);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var trace = await WholeTraceAsync(traceId, $"/api/v1/testboxes/{testbox}/consume");
        var wait = Assert.Single(trace, s => s.Name == "compassci.consume.wait");
        Assert.True(IsUnder(wait, ServerSpan(trace, $"/api/v1/testboxes/{testbox}/consume"), trace), Dump(trace));
        Assert.Equal("none", wait.Attribute("compassci.outcome"));
        Assert.Null(wait.Attribute("compassci.job_id"));
    }

    /// <summary>A W3C trace context as a calling service would send it (sampled), so the test knows its trace id.</summary>
    private static (string TraceId, string SpanId) NewTraceParent() =>
        (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject body, string? traceId, string? parentSpan)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (traceId is not null)
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{parentSpan}-01");
        }

        return await fixture.Http.SendAsync(request, Cancel);
    }

    /// <summary>
    /// The trace once its server span has arrived and every span in it has its parent there too (children end, and
    /// are exported, before their parents; the server span is the last of the request).
    /// </summary>
    private async Task<IReadOnlyList<ReceivedSpan>> WholeTraceAsync(string traceId, string path)
    {
        IReadOnlyList<ReceivedSpan> trace = [];
        var whole = await Eventually.HoldsAsync(
            () =>
            {
                trace = fixture.Receiver.Trace(traceId);
                var ids = trace.Select(s => s.SpanId).ToHashSet();
                var server = trace.FirstOrDefault(s => s.Scope == AspNetCore && s.Attribute("url.path") == path);
                return Task.FromResult(server is not null && trace.All(s => s == server || ids.Contains(s.ParentSpanId)));
            },
            TimeSpan.FromSeconds(30));
        Assert.True(whole, $"the trace never arrived whole\n{Dump(trace)}\nsilo log:\n{fixture.Silo.Log()}");
        return trace;
    }

    /// <summary>ASP.NET Core's server span of the request to <paramref name="path"/> (its name is the route template).</summary>
    private static ReceivedSpan ServerSpan(IReadOnlyList<ReceivedSpan> trace, string path) =>
        Assert.Single(trace, s => s.Scope == AspNetCore && s.Attribute("url.path") == path);

    /// <summary>Whether <paramref name="ancestor"/> is on <paramref name="span"/>'s chain of parents.</summary>
    private static bool IsUnder(ReceivedSpan span, ReceivedSpan ancestor, IReadOnlyList<ReceivedSpan> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
        {
            if (next.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static string Dump(IReadOnlyList<ReceivedSpan> trace) =>
        string.Join('\n', trace.Select(s => $"{s.SpanId} <- {s.ParentSpanId} [{s.Scope}] {s.Name} {string.Join(' ', s.Attributes.Select(a => $"{a.Key}={a.Value}"))}"));
}
